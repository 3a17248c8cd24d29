import 'server-only';
import type { z } from 'zod';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';

/** One thing wrong with a request, where (`batch.0.event`, `(body)`) and what. */
export type Problem = { path: string; message: string };

/** zod issues as problems, optionally under a path prefix (a batch index). */
export function toProblems(error: z.ZodError, prefix: (string | number)[] = []): Problem[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** An error a client caused; it becomes `{ error, problems? }` with this status instead of a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

/**
 * A JSON answer before it is a Response (`body` undefined: none). The ingest's handlers build these, so the ingest
 * fast path can write them to node's response without a Web Response to read back (scripts/serve/ingest-fast-path.mjs);
 * the routes send them through toResponse.
 */
export type Answer = { status: number; headers: Record<string, string>; body?: unknown };

export function toResponse({ status, headers, body }: Answer): Response {
  return body === undefined ? new Response(null, { status, headers }) : Response.json(body, { status, headers });
}

/**
 * The one JSON error shape of the ingest and ops APIs. The database not answering (lib/db/unavailable.ts) is a 503
 * with Retry-After, so a sender that retries (the node SDK, Customer.io-style clients) comes back; what it was is
 * logged, not told. Other unexpected errors are logged and answered with a 500.
 */
export function errorAnswer(error: unknown, headers: Record<string, string> = {}): Answer {
  if (error instanceof HttpError) {
    const body = error.problems?.length ? { error: error.message, problems: error.problems } : { error: error.message };
    return { status: error.status, headers, body };
  }
  if (isDatabaseUnavailable(error)) {
    console.error('[db] a request met the database not answering:', (error as Error).message);
    return {
      status: 503,
      headers: { ...headers, 'Retry-After': String(RETRY_AFTER_SECONDS) },
      body: { error: `The database is not answering; try again in ${RETRY_AFTER_SECONDS} s` },
    };
  }
  console.error('[cdp] unexpected error', error);
  return {
    status: 500,
    headers,
    body: { error: 'Something went wrong on our side; the details are in the server log' },
  };
}

/** errorAnswer as a Response. */
export function errorResponse(error: unknown, headers?: Record<string, string>): Response {
  return toResponse(errorAnswer(error, headers));
}

/** Page params arrive still percent-encoded (route handler params do not); a malformed escape stays as typed. */
export function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A page param that names a stored row (a person, an anonymous id, a message), decoded; null when no row can have
 * it: PostgreSQL text holds no NUL (`%00`) and answers a query for one with an error (a 500), SQLite with no row.
 * The ops API refuses such URLs in opsRoute; pages answer them as an unknown id.
 */
export function storedIdParam(value: string): string | null {
  const decoded = decodeParam(value);
  return decoded.includes('\u0000') ? null : decoded;
}
