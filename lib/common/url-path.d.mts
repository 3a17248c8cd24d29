/** lib/common/url-path.mjs: a path whose segments do not all decode, with their `%` escaped; else null. */
export declare function escapeUndecodablePath(pathname: string): string | null;
