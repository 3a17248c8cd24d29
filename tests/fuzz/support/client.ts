import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { expect, inject } from 'vitest';

/**
 * Sending the fuzz suite's requests, and what every answer must be: below 500, within REQUEST_TIMEOUT_MS, and
 * something a person can act on (JSON `{ error }` from an API, an HTML page from a page).
 */

/** Far longer than any answer takes, even on a loaded machine: a request that outlasts it is a hang. */
export const REQUEST_TIMEOUT_MS = 20_000;

export const fuzzServer = () => inject('fuzzServer');

export type FuzzRequest = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
};

export type Answer = { status: number; headers: Headers; text: string };

let requests = 0;

/** One request over fetch; a hang becomes an error naming the request. */
export async function send(request: FuzzRequest): Promise<Answer> {
  requests++;
  try {
    const res = await fetch(fuzzServer().origin + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new Error(`No answer within ${REQUEST_TIMEOUT_MS / 1000} s (a hang): ${describe(request)}`);
    }
    throw new Error(`${(error as Error).message}: ${describe(request)}`, { cause: error });
  }
}

/** A request for failure messages: enough to replay it by hand. */
export function describe(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : `<${request.body.byteLength} bytes>`;
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body;
  return `${request.method} ${request.path} ${JSON.stringify(request.headers ?? {})} ${shown}`;
}

/**
 * Answers given before any app code runs, whose status line is the whole message: a method the route does not
 * export (Next.js), a URL or headers too long for Node's HTTP parser.
 */
const BEFORE_THE_APP = new Set([405, 414, 431]);

/** An API answer: never 5xx; JSON, with a non-empty `error` when it is a 4xx. */
export function expectApiAnswer(request: FuzzRequest, answer: Answer): unknown {
  const where = `${answer.status} ${answer.text.slice(0, 300)} ← ${describe(request)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (request.method === 'HEAD' || BEFORE_THE_APP.has(answer.status)) return undefined;
  if (answer.status >= 300 && answer.status < 400) return undefined;
  expect(answer.headers.get('content-type') ?? '', where).toContain('application/json');
  const body: unknown = JSON.parse(answer.text);
  if (answer.status >= 400) {
    expect(body, where).toMatchObject({ error: expect.stringMatching(/\w/) });
  }
  return body;
}

/** A page answer: never 5xx; an HTML page (a redirect is fine too, e.g. to the console's sign-in). */
export function expectPageAnswer(request: FuzzRequest, answer: Answer) {
  const where = `${answer.status} ← ${describe(request)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (answer.status >= 300 && answer.status < 400) return;
  if (request.method === 'HEAD' || BEFORE_THE_APP.has(answer.status)) return;
  expect(answer.headers.get('content-type') ?? '', where).toContain('text/html');
  expect(answer.text, where).toMatch(/<html/i);
}

export type RawAnswer = { status: number | null; text: string };

/**
 * Bytes written to a socket as they are (a lying Content-Length, a chunked body that never ends), then either
 * kept open until the server answers and closes, or half-closed (`end`). A socket still open after
 * REQUEST_TIMEOUT_MS is a hang.
 */
export function sendRaw(bytes: Buffer, { end }: { end: boolean }): Promise<RawAnswer> {
  requests++;
  const { origin } = fuzzServer();
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      const head = bytes.subarray(0, 300).toString('latin1');
      reject(new Error(`No answer within ${REQUEST_TIMEOUT_MS / 1000} s (a hang): ${JSON.stringify(head)}`));
    }, REQUEST_TIMEOUT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {}); // a reset after the answer, or while half-closed: 'close' follows
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: status ? Number(status[1]) : null, text });
    });
    socket.write(bytes);
    if (end) socket.end();
  });
}

/** Lines of the server log that report an error the app did not expect (a 500, an uncaught exception). */
export function unexpectedServerErrors(): string[] {
  return fs
    .readFileSync(fuzzServer().log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('[cdp] unexpected error') || /^\s*⨯ (?!Error: aborted)/.test(line));
}

/** The server still answers a page, the ops API and a valid call after the run, and stores the call. */
export async function expectStillServing() {
  const { opsToken, writeKey } = fuzzServer();
  const page = await send({ method: 'GET', path: '/' });
  expect(page.status).toBe(200);
  const clock = await send({ method: 'GET', path: '/api/ops/clock', headers: { authorization: `Bearer ${opsToken}` } });
  expect(clock.status).toBe(200);
  const call = {
    writeKey,
    type: 'page',
    name: 'Home',
    anonymousId: `fuzz-health-${crypto.randomUUID()}`,
    messageId: crypto.randomUUID(),
  };
  const stored = await send({ method: 'POST', path: '/api/cdp/v1/p', body: JSON.stringify(call) });
  expect(JSON.parse(stored.text)).toMatchObject({ success: true, stored: 1 });
}

/** Adds this file's request count to the suite's total (printed when the server stops). */
export function recordRequests(file: string) {
  fs.appendFileSync(fuzzServer().counts, `${JSON.stringify({ file, requests })}\n`);
  console.log(`[fuzz] ${file}: ${requests} requests`);
}
