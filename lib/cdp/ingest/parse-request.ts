import 'server-only';
import { HttpError, toProblems, type Problem } from '@/lib/common/http';
import { readBody, type BodySource } from '@/lib/common/request-body';
import { decodeBody, type NotUtf8Error, refuseUnreadableCharset } from '@/lib/common/json-body';
import type { HeaderReader } from '@/lib/common/client-address';
import { matchingSecret } from '@/lib/common/secrets';
import {
  batchSchema,
  ENDPOINT_TYPES,
  messageSchema,
  type IngestMessage,
  type MessageType,
} from '@/lib/cdp/model/message';
import { isStrictMode, type RejectedCall, type RejectionReason } from '@/lib/cdp/model/rejection';
import { nestsDeeperThan } from '@/lib/common/json-nesting';
import { callShapeProblem, MAX_CALL_DEPTH } from './call-shape';
import { rejectedMessageId } from '@/lib/cdp/model/excerpt';

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_REQUEST_BYTES = 500 * 1024;
/**
 * What a batch's shared context and integrations may come to once copied into each of its calls: with the body's
 * 500 KB, the calls as stored total at most 1 MB (twice the request limit), however small the calls.
 */
export const MAX_SHARED_COPIES_BYTES = MAX_REQUEST_BYTES;
/**
 * Calls one batch request may hold. Customer.io documents only bytes (500 KB), but 500 KB of the smallest calls is
 * ~240,000 of them, and checking and recording each (a refused one costs ~0.15 ms) held the whole server ~3.7 s for
 * one request. The SDKs send a few dozen per batch (analytics.js flushes at 10–20, the node SDK at 15); 2,500 keeps
 * one request under ~0.4 s of work however small its calls.
 */
export const MAX_BATCH_CALLS = 2_500;
/** A batch's calls sit two levels down in its body: `{ "batch": [ call ] }`. */
const BATCH_ENVELOPE_DEPTH = 2;
const BATCH_PATHS = new Set(['b', 'batch']);
const ENDPOINTS = `${Object.keys(ENDPOINT_TYPES).join(', ')}, b or batch`;
/** Every path under /api/cdp/v1/ that takes calls (anything else is a 404). */
export const INGEST_ENDPOINTS: readonly string[] = [...Object.keys(ENDPOINT_TYPES), ...BATCH_PATHS];
const ACCEPTED_TYPES = new Set(['', 'text/plain', 'application/json']);

/**
 * The two keys the ingest accepts: the browser's, which every page carries (public), and the server's, which only
 * the shop's server knows. Only the second makes a call trusted, whatever its library or auth scheme says.
 */
export type WriteKeys = { browser: string; server: string };

export type IngestRequest = {
  /** The calls to store, in order. */
  messages: IngestMessage[];
  /** The calls refused, each with its reason (permissive mode: recorded and answered with a 200). */
  rejected: RejectedCall[];
  /** Sent with the server write key (Basic auth or the body's writeKey alike). */
  trusted: boolean;
  /** `X-Strict-Mode: 1`: refusals are Customer.io's 400/401/413 answers, and nothing is stored. */
  strict: boolean;
  /** Each message's position in its batch (null: a single call), for the paths of refusals raised later. */
  batchIndexes: number[] | null;
};

/** A strict-mode refusal, carrying the calls it refused so the route can record them. */
export class IngestRefusal extends HttpError {
  constructor(
    status: number,
    message: string,
    readonly rejected: RejectedCall[],
    problems?: Problem[],
  ) {
    super(status, message, problems);
  }
}

/**
 * Checks endpoint, content type, size, nesting and JSON (the request: a 4xx in both modes, there are no calls to
 * keep), then the write key, the batch's shape and what its shared fields come to once copied into each call (a
 * 4xx in both modes too), and each call's shape (depth, Unicode), size and envelope, in that order. Like Customer.io,
 * a refused key or call is a 401/400/413 only in strict mode (`X-Strict-Mode: 1`, thrown as an IngestRefusal);
 * otherwise the valid calls go on and the refused ones come back in `rejected`.
 */
export async function parseIngestRequest(
  request: BodySource,
  path: readonly string[],
  keys: WriteKeys,
  { strict = isStrictMode(request.headers.get('x-strict-mode')) }: { strict?: boolean } = {},
): Promise<IngestRequest> {
  const endpoint = path.join('/');
  const isBatch = BATCH_PATHS.has(endpoint);
  // Own keys only: `constructor` or `__proto__` are not endpoints.
  if (!isBatch && !Object.hasOwn(ENDPOINT_TYPES, endpoint)) {
    throw new HttpError(404, `Unknown endpoint /v1/${endpoint}: use ${ENDPOINTS}`);
  }
  const contentType = request.headers.get('content-type');
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ACCEPTED_TYPES.has(mediaType)) {
    throw new HttpError(415, `Content-Type ${mediaType} is not supported: send application/json or text/plain`);
  }
  refuseUnreadableCharset(contentType);

  const bytes = await readBody(request, { maxBytes: MAX_REQUEST_BYTES, tooLarge: TOO_LARGE });
  const { body, notUtf8 } = parseJson(bytes, MAX_CALL_DEPTH + (isBatch ? BATCH_ENVELOPE_DEPTH : 0));
  const key = writeKeyCheck(basicAuthKey(request.headers.get('authorization')) ?? bodyWriteKey(body), keys);
  if (key !== 'server' && key !== 'browser') {
    const rejected: RejectedCall[] = [
      { reason: 'write_key', problems: [{ path: '(key)', message: key }], call: body, messageId: null },
    ];
    if (strict) throw new IngestRefusal(401, key, rejected);
    return { messages: [], rejected, trusted: false, strict, batchIndexes: isBatch ? [] : null };
  }
  if (notUtf8) {
    // Refused whole, as a lone surrogate refuses a call: which call the bytes were in is not known once decoded.
    const problems = [{ path: '(body)', message: notUtf8.message }];
    const rejected: RejectedCall[] = [
      { reason: 'misshapen', problems, call: body, messageId: isBatch ? null : rejectedMessageId(body) },
    ];
    if (strict) throw new IngestRefusal(400, `${notUtf8.message}; nothing was stored`, rejected, problems);
    return { messages: [], rejected, trusted: key === 'server', strict, batchIndexes: isBatch ? [] : null };
  }
  const raw = isBatch ? batchCalls(body) : [singleCall(body)];

  const prefix = (i: number) => (isBatch ? ['batch', i] : []);
  const checked = raw.map((call, i) => checkCall(call, prefix(i), isBatch ? null : ENDPOINT_TYPES[endpoint]!));
  const rejected = checked.flatMap((c, i) =>
    'problems' in c ? [{ ...c, call: raw[i], messageId: rejectedMessageId(raw[i]) }] : [],
  );
  if (strict && rejected.length) throw strictRefusal(rejected);
  const messages = checked.flatMap((c) => ('message' in c ? [c.message] : []));
  const batchIndexes = isBatch ? checked.flatMap((c, i) => ('message' in c ? [i] : [])) : null;
  return { messages, rejected, trusted: key === 'server', strict, batchIndexes };
}

/** The server write key in Basic auth (how the node SDK sends it): known before the body is read. */
export function sentWithServerKey(request: { headers: HeaderReader }, keys: WriteKeys): boolean {
  const given = basicAuthKey(request.headers.get('authorization'));
  return given !== undefined && writeKeyCheck(given, keys) === 'server';
}

type Checked = { message: IngestMessage } | { reason: RejectionReason; problems: Problem[] };

/** One call's checks, in order: shape before size (measuring a call recurses through it), then the envelope. */
function checkCall(call: unknown, prefix: (string | number)[], pathType: MessageType | null): Checked {
  const misshapen = callShapeProblem(call, prefix);
  if (misshapen) return { reason: 'misshapen', problems: [misshapen] };
  if (Buffer.byteLength(JSON.stringify(call)) > MAX_EVENT_BYTES)
    return {
      reason: 'too_large',
      problems: [{ path: prefix.join('.') || '(body)', message: 'call is larger than 32 KB' }],
    };
  if (pathType && isObject(call) && call.type !== undefined && call.type !== pathType) {
    return {
      reason: 'invalid',
      problems: [
        {
          path: 'type',
          message: `This endpoint takes ${pathType} calls: expected "${pathType}", got ${JSON.stringify(call.type)}`,
        },
      ],
    };
  }
  const parsed = messageSchema.safeParse(pathType && isObject(call) ? { ...call, type: pathType } : call);
  return parsed.success ? { message: parsed.data } : { reason: 'invalid', problems: toProblems(parsed.error, prefix) };
}

/** The strict answer for refused calls: the first kind found, in the order the checks run, as before issue 10. */
function strictRefusal(rejected: RejectedCall[]): IngestRefusal {
  const all = (reason: RejectionReason) => rejected.filter((r) => r.reason === reason).flatMap((r) => r.problems);
  if (all('misshapen').length)
    return new IngestRefusal(
      400,
      'The request has calls the pipeline cannot store; nothing was stored',
      rejected,
      all('misshapen'),
    );
  if (all('too_large').length)
    return new IngestRefusal(413, 'A call is larger than 32 KB; trim its properties', rejected, all('too_large'));
  return new IngestRefusal(400, 'The request has invalid calls; nothing was stored', rejected, all('invalid'));
}

const TOO_LARGE = 'The request is larger than 500 KB; send fewer calls per batch';

/**
 * The body as JSON, refused unread past `maxDepth` levels (a call's MAX_CALL_DEPTH, within its envelope). A body
 * that is not UTF-8 is read with U+FFFD in place of its bad bytes, to be recorded as refused (`notUtf8`); when that
 * is not JSON either, the bytes are what the sender must fix first.
 */
function parseJson(bytes: Buffer, maxDepth: number): { body: unknown; notUtf8: NotUtf8Error | null } {
  // Before JSON.parse, which spends a fifth of a second on 250,000 levels (the shape check would refuse them after),
  // and before the text is decoded: the first levels past the limit end the scan.
  if (nestsDeeperThan(bytes, maxDepth)) {
    throw new HttpError(
      400,
      `A call is nested deeper than ${MAX_CALL_DEPTH} levels (arrays and objects): flatten it; nothing was stored`,
    );
  }
  const { text, notUtf8 } = decodeBody(bytes);
  if (!text.trim()) throw new HttpError(400, 'The body is empty: send a JSON object');
  try {
    return { body: JSON.parse(text), notUtf8 };
  } catch (error) {
    throw notUtf8 ?? new HttpError(400, `The body is not valid JSON (${(error as Error).message})`);
  }
}

function batchCalls(body: unknown): unknown[] {
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'The body must be { "batch": [calls] }', toProblems(parsed.error));
  // The raw objects, not zod's copies: a `__proto__` key must reach the shape check, which refuses it.
  const shared = body as { context?: unknown; integrations?: unknown };
  checkSharedCopies(parsed.data.batch.length, shared);
  checkBatchSize(parsed.data.batch.length);
  return parsed.data.batch.map((call) => withBatchFields(call, shared));
}

/**
 * The shared fields are stored (and measured, and forwarded) once per call: 30 KB of context over 8,000 tiny calls
 * would be 240 MB from one 500 KB request. Refused whole before any copy, in both modes, as a body over 500 KB is.
 */
function checkSharedCopies(calls: number, shared: { context?: unknown; integrations?: unknown }): void {
  const bytes = (value: unknown) => (isObject(value) ? Buffer.byteLength(JSON.stringify(value)) : 0);
  const each = bytes(shared.context) + bytes(shared.integrations);
  if (each * calls <= MAX_SHARED_COPIES_BYTES) return;
  const kb = (n: number) => `${Math.ceil(n / 1024)} KB`;
  throw new HttpError(
    413,
    `The batch's context and integrations (${kb(each)}) apply to each of its ${calls} calls: ${kb(each * calls)} ` +
      `in all, over ${kb(MAX_SHARED_COPIES_BYTES)}. Send fewer calls per batch, or put what is large in the calls ` +
      'that need it rather than in the batch; nothing was stored',
  );
}

/** Refused whole, in both modes, as a body over 500 KB is: nothing of it is checked, stored or recorded. */
function checkBatchSize(calls: number): void {
  if (calls <= MAX_BATCH_CALLS) return;
  throw new HttpError(
    413,
    `The batch has ${calls} calls; a batch request takes at most ${MAX_BATCH_CALLS.toLocaleString('en-US')}: send ` +
      'them in several batches; nothing was stored',
  );
}

/**
 * Customer.io: "in a batch request, the context and integrations objects apply to all calls in the request".
 * Each call gets them under its own (a key the call sets itself wins), so they are stored and forwarded per call.
 */
function withBatchFields(call: unknown, shared: { context?: unknown; integrations?: unknown }): unknown {
  if (!isObject(call)) return call;
  let merged = call;
  for (const field of ['context', 'integrations'] as const) {
    const own = call[field];
    if (!isObject(shared[field]) || (own !== undefined && own !== null && !isObject(own))) continue;
    merged = { ...merged, [field]: { ...shared[field], ...own } };
  }
  return merged;
}

function singleCall(body: unknown): unknown {
  if (!isObject(body)) throw new HttpError(400, 'The body must be a JSON object describing one call');
  return body;
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

/** Which key was given (compared in constant time), or why none counts. */
function writeKeyCheck(given: string | undefined, keys: WriteKeys): 'server' | 'browser' | string {
  if (!given) return 'Missing write key: send Basic auth (key as user name) or "writeKey" in the body';
  const match = matchingSecret(given, [keys.server, keys.browser]);
  return match === 0 ? 'server' : match === 1 ? 'browser' : 'Invalid write key';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
