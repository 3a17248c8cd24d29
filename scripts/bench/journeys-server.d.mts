import type { ChildProcess } from 'node:child_process';

export declare const OPS_TOKEN: string;
export declare function startServer(options?: { timeoutMs?: number }): Promise<{
  url: string;
  dbFile: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  runPass: () => Promise<Response>;
  stop: () => Promise<void>;
}>;
