/** lib/common/deadline.mjs: what `promise` resolves to, or `late` once `deadline` (epoch ms) comes first. */
export declare function settleBy<T, L>(promise: Promise<T>, deadline: number, late: L): Promise<T | L>;
