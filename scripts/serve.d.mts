import type { Server } from 'node:http';

export declare function parseServeArgs(
  argv: string[],
  env?: NodeJS.ProcessEnv,
): { port: number; hostname?: string; keepAliveTimeout?: number };
export declare function serve(options: {
  dir?: string;
  port: number;
  hostname?: string;
  keepAliveTimeout?: number;
}): Promise<Server>;
