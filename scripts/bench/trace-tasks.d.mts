export type Task = { cpu: number; scripts?: string[] };
export type RunTasks = { tasks: Task[]; scripts: string[] };
export declare function runTasks(result: { lhr: unknown; artifacts: unknown }): Promise<RunTasks>;
export declare function cpuBlocking(tasks: readonly Task[]): number;
export declare function trackingTasks(on: RunTasks, off: RunTasks): { cpu: number; longest: number; blocking: number };
