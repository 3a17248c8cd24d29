export type BenchTarget = { what: string; target: string; measured: string; met: boolean; why?: string };
export type BenchResult = { title: string; markdown: string; data?: unknown; targets?: BenchTarget[] };
export type BenchModule = { name: string; bench: (options: { smoke: boolean }) => Promise<BenchResult> };
export type BenchRun = { name: string; seconds: number; result?: BenchResult; error?: string };

export declare function parseArgs(argv: string[]): { smoke: boolean; only: Set<string> | undefined };
export declare const BENCH_MODULES: string[];
export declare function loadModules(names?: string[], dir?: string): Promise<BenchModule[]>;
export declare function renderReport(options: { smoke: boolean; header: string; results: BenchRun[] }): string;
export declare function runInChild(
  name: string,
  options?: { smoke?: boolean; dir?: string },
): Promise<{ result?: BenchResult; error?: string }>;
