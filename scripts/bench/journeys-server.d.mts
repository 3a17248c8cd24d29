import type { ChildProcess } from 'node:child_process';

export declare const OPS_TOKEN: string;
export declare const SERVER_WRITE_KEY: string;
export declare function startServer(options?: {
  timeoutMs?: number;
  env?: Record<string, string>;
  standalone?: boolean;
}): Promise<{
  url: string;
  dbFile: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  runPass: () => Promise<Response>;
  stop: () => Promise<void>;
}>;
