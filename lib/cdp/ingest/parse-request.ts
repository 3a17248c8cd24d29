import 'server-only';
import { HttpError, toProblems, type Problem } from '@/lib/common/http';
import { readBody } from '@/lib/common/request-body';
import { safeEqual } from '@/lib/common/secrets';
import { batchSchema, messageSchema, PATH_TYPES, type IngestMessage } from '@/lib/cdp/model/message';
import { callShapeProblem } from './call-shape';

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_REQUEST_BYTES = 500 * 1024;
const BATCH_PATHS = new Set(['b', 'batch']);
const ACCEPTED_TYPES = new Set(['', 'text/plain', 'application/json']);

/**
 * The two keys the ingest accepts: the browser's, which every page carries (public), and the server's, which only
 * the shop's server knows. Only the second makes a call trusted, whatever its library or auth scheme says.
 */
export type WriteKeys = { browser: string; server: string };

export type IngestRequest = {
  messages: IngestMessage[];
  /** Sent with the server write key (Basic auth or the body's writeKey alike). */
  trusted: boolean;
};

/**
 * Checks endpoint, size, JSON, write key, each call's shape (depth, Unicode) and size, and the envelope, in that
 * order; throws HttpError on the first failure.
 */
export async function parseIngestRequest(
  request: Request,
  path: readonly string[],
  keys: WriteKeys,
): Promise<IngestRequest> {
  const endpoint = path.join('/');
  const isBatch = BATCH_PATHS.has(endpoint);
  // Own keys only: `constructor` or `__proto__` are not endpoints.
  if (!isBatch && !Object.hasOwn(PATH_TYPES, endpoint)) {
    throw new HttpError(404, `Unknown endpoint /v1/${endpoint}: use t, i, p, s, g, a, b or batch`);
  }
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ACCEPTED_TYPES.has(mediaType)) {
    throw new HttpError(415, `Content-Type ${mediaType} is not supported: send application/json or text/plain`);
  }

  const body = parseJson((await readBody(request, { maxBytes: MAX_REQUEST_BYTES, tooLarge: TOO_LARGE })).toString());
  const trusted = checkWriteKey(basicAuthKey(request.headers.get('authorization')) ?? bodyWriteKey(body), keys);
  const raw = isBatch ? batchCalls(body) : [singleCall(body, PATH_TYPES[endpoint]!)];

  const prefix = (i: number) => (isBatch ? ['batch', i] : []);
  // Before the size check: measuring a call recurses through it.
  const misshapen = raw.flatMap((call, i) => callShapeProblem(call, prefix(i)) ?? []);
  if (misshapen.length)
    throw new HttpError(400, 'The request has calls the pipeline cannot store; nothing was stored', misshapen);
  const oversize = raw.flatMap((call, i) =>
    Buffer.byteLength(JSON.stringify(call)) > MAX_EVENT_BYTES
      ? [{ path: prefix(i).join('.') || '(body)', message: 'call is larger than 32 KB' }]
      : [],
  );
  if (oversize.length) throw new HttpError(413, 'A call is larger than 32 KB; trim its properties', oversize);

  const problems: Problem[] = [];
  const messages: IngestMessage[] = [];
  raw.forEach((call, i) => {
    const parsed = messageSchema.safeParse(call);
    if (parsed.success) messages.push(parsed.data);
    else problems.push(...toProblems(parsed.error, prefix(i)));
  });
  if (problems.length) throw new HttpError(400, 'The request has invalid calls; nothing was stored', problems);
  return { messages, trusted };
}

const TOO_LARGE = 'The request is larger than 500 KB; send fewer calls per batch';

function parseJson(text: string): unknown {
  if (!text.trim()) throw new HttpError(400, 'The body is empty: send a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON (${(error as Error).message})`);
  }
}

function batchCalls(body: unknown): unknown[] {
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'The body must be { "batch": [calls] }', toProblems(parsed.error));
  return parsed.data.batch;
}

function singleCall(body: unknown, type: string): unknown {
  if (!isObject(body)) throw new HttpError(400, 'The body must be a JSON object describing one call');
  if (body.type !== undefined && body.type !== type) {
    throw new HttpError(400, `This endpoint takes ${type} calls`, [
      { path: 'type', message: `expected "${type}", got ${JSON.stringify(body.type)}` },
    ]);
  }
  return { ...body, type };
}

function bodyWriteKey(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (typeof body.writeKey === 'string') return body.writeKey;
  // The browser SDK also stamps `writeKey` on every call inside a batch.
  const first = Array.isArray(body.batch) ? body.batch[0] : undefined;
  return isObject(first) && typeof first.writeKey === 'string' ? first.writeKey : undefined;
}

function basicAuthKey(header: string | null): string | undefined {
  const match = header?.match(/^Basic\s+(\S+)$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  return decoded.split(':')[0];
}

/** True for the server key, false for the browser's; both compared in constant time. */
function checkWriteKey(given: string | undefined, keys: WriteKeys): boolean {
  if (!given)
    throw new HttpError(401, 'Missing write key: send Basic auth (key as user name) or "writeKey" in the body');
  const server = safeEqual(given, keys.server);
  if (!server && !safeEqual(given, keys.browser)) throw new HttpError(401, 'Invalid write key');
  return server;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
