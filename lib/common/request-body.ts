import 'server-only';
import { promisify } from 'node:util';
import { gunzip, inflate as inflateDeflate } from 'node:zlib';
import { env } from '@/lib/env';
import type { HeaderReader } from './client-address';
import { HttpError } from './http';

export type BodyLimits = {
  maxBytes: number;
  /** The 413's message: what to send instead. */
  tooLarge: string;
};

/**
 * What readBody reads of a request: its headers, and its body a chunk at a time. A Web Request is one; so is the
 * ingest fast path's view of a node request (scripts/serve/ingest-fast-path.mjs), which spares each request a Web
 * Request and a body stream.
 */
export type BodySource = {
  headers: HeaderReader;
  body: { getReader(): Pick<ReadableStreamDefaultReader<Uint8Array>, 'read' | 'cancel'> } | null;
};

/** A BodySource with its URL: all the ingest handlers read of a request. */
export type RequestView = BodySource & { url: string };

/**
 * Content-Encodings a client may send (Segment's Python library, which Customer.io's is built on, gzips when
 * asked to); null: nothing to undo. Anything else is a 415, not a body read as if it were plain text.
 */
const unzip = promisify(gunzip);
const inflated = promisify(inflateDeflate);
const INFLATE = { '': null, identity: null, gzip: unzip, 'x-gzip': unzip, deflate: inflated } as const;

/**
 * Reads a request body, at most `maxBytes` (after undoing a gzip or deflate Content-Encoding), within
 * REQUEST_BODY_TIMEOUT_MS. A body that stops short of its Content-Length would otherwise hold the request and its
 * socket open for as long as the client likes; here it gets a 400 (and so does one whose connection drops mid-body).
 * Every route that reads a body reads it here.
 */
export async function readBody(request: BodySource, limits: BodyLimits): Promise<Buffer> {
  const encoding = (request.headers.get('content-encoding') ?? '').trim().toLowerCase();
  // Own keys only: `constructor` or `__proto__` are not encodings.
  const inflate = Object.hasOwn(INFLATE, encoding) ? INFLATE[encoding as keyof typeof INFLATE] : undefined;
  if (inflate === undefined) {
    throw new HttpError(415, `Content-Encoding ${encoding} is not supported: send the body as is, gzip or deflate`);
  }
  const raw = await readRaw(request, limits);
  if (!inflate || raw.length === 0) return raw;
  try {
    // Bounded as it inflates: a small body that would unpack past the limit is refused like a large one. In libuv's
    // thread pool, so unpacking half a megabyte never holds the event loop.
    return await inflate(raw, { maxOutputLength: limits.maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, limits.tooLarge);
    throw new HttpError(400, `The body is not ${encoding} data, as its Content-Encoding ${encoding} says`);
  }
}

async function readRaw(request: BodySource, { maxBytes, tooLarge }: BodyLimits): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new HttpError(413, tooLarge);
  if (!request.body) return Buffer.alloc(0);
  const timeoutMs = env().REQUEST_BODY_TIMEOUT_MS;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'timeout') {
        const of = declared > 0 ? ` of the ${declared} its Content-Length announced` : '';
        throw new HttpError(
          400,
          `The body did not arrive within ${timeoutMs / 1000} s (${total} bytes${of}): send the whole body at once`,
        );
      }
      if (next.done) return Buffer.concat(chunks, total);
      total += next.value.byteLength;
      if (total > maxBytes) throw new HttpError(413, tooLarge);
      chunks.push(next.value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'The connection broke off before the body was complete: send it again');
  } finally {
    clearTimeout(timer);
  }
}

/** A form body (urlencoded or multipart) read through readBody, so it is bounded in size and time too. */
export async function readFormData(request: Request, limits: BodyLimits): Promise<FormData> {
  const body = await readBody(request, limits);
  const type = request.headers.get('content-type') ?? '';
  try {
    return await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpError(400, 'The body is not a form: send application/x-www-form-urlencoded or multipart/form-data');
  }
}
