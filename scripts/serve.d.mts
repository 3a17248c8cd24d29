import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export declare function parseServeArgs(
  argv: string[],
  env?: NodeJS.ProcessEnv,
): { port: number; hostname?: string; keepAliveTimeout?: number };
export declare function serve(options: {
  dir?: string;
  port: number;
  hostname?: string;
  keepAliveTimeout?: number;
  /** Next.js's custom-server app by default; a test's stand-in otherwise. */
  createApp?: (options: {
    dev: boolean;
    dir: string;
    port: number;
    hostname?: string;
  }) => NextLikeApp | Promise<NextLikeApp>;
}): Promise<Server>;

/** What serve() uses of Next.js's custom-server app. */
export interface NextLikeApp {
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
  prepare(): Promise<unknown>;
  close(): Promise<unknown>;
}
