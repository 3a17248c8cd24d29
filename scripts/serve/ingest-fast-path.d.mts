import type { IncomingMessage, ServerResponse } from 'node:http';

/** What instrumentation.ts publishes (lib/cdp/ops/ingest-fast-path.ts). */
export type FastPath = import('../../lib/cdp/ops/ingest-fast-path').IngestFastPath;
export type ListeningAddress = { hostname: string; port: number };
export declare const INGEST_FAST_PATH: unique symbol;
export declare function publishedFastPath(): FastPath | null;
export declare function fastPathEndpoint(
  fastPath: FastPath,
  req: IncomingMessage,
  endpoints?: ReadonlySet<string>,
): string | null;
export declare function requestView(
  req: IncomingMessage,
  server: ListeningAddress,
  trustsForwarding?: boolean,
): import('../../lib/common/request-body').RequestView;
export declare const DRAIN_LIMIT_MS: number;
export declare function drainRequest(req: IncomingMessage, limitMs?: number): void;
export declare function sendAnswer(
  res: ServerResponse,
  answer: import('../../lib/common/http').Answer,
  preset?: ReadonlyArray<readonly [string, string]>,
): void;
export declare function answerIngest(
  fastPath: FastPath,
  endpoint: string,
  req: IncomingMessage,
  res: ServerResponse,
  server: ListeningAddress,
): Promise<void>;
