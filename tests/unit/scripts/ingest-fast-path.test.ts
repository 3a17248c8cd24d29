import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_FAST_PATH, publishIngestFastPath } from '@/lib/cdp/ops/ingest-fast-path';
import { ingestAnswer, preflightAnswer } from '@/lib/cdp/ops/ingest-route';
import { readBody } from '@/lib/common/request-body';
import {
  answerIngest,
  fastPathEndpoint,
  INGEST_FAST_PATH as SERVER_SLOT,
  publishedFastPath,
  type FastPath,
} from '../../../scripts/serve/ingest-fast-path.mjs';

// scripts/serve.mjs's conversion around the ingest handlers, on a real server: a handler that reports what it was
// given stands for ingestAnswer (tests/e2e/ingest-fast-path.spec.ts compares the real one with the route's answers).
const seen: { url: string; headers: Record<string, string>; bytes: number; text?: string }[] = [];
const HEADERS = ['x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'x-test'];
let trusted = false;
const fastPath: FastPath = {
  endpoints: ['t', 'b', 'batch'],
  trustsForwarding: () => trusted,
  bodyTimeoutMs: () => 1_000,
  responseHeaders: [
    ['X-Frame-Options', 'DENY'],
    ['Content-Security-Policy', "default-src 'none'"],
  ],
  preflightAnswer: () => ({ status: 204, headers: { 'Access-Control-Allow-Origin': 'x', Vary: 'Origin' } }),
  async ingestAnswer(request, path) {
    if (request.headers.get('x-test') === 'throw') throw new Error('handler failed');
    // Answers without reading the body: what an early refusal (403, 413 by Content-Length, 429) does.
    const body =
      request.headers.get('x-test') === 'unread' ? null : await readBody(request, { maxBytes: 1e6, tooLarge: 'big' });
    const headers = Object.fromEntries(
      HEADERS.flatMap((name) => [[name, request.headers.get(name)]]).filter(([, v]) => v !== null),
    );
    seen.push({ url: request.url, headers, bytes: body?.byteLength ?? -1, text: body?.toString() });
    const answerHeaders = {
      Vary: 'Origin',
      'Retry-After': '3',
      'Content-Security-Policy': 'ignored: next.config.ts sets it first',
    };
    return { status: 201, headers: answerHeaders, body: { path, bytes: body?.byteLength ?? -1, note: 'déjà' } };
  },
};

let server: http.Server;
let port: number;
let fellThrough = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const endpoint = fastPathEndpoint(fastPath, req);
    if (!endpoint) {
      fellThrough++;
      return void res.end('next');
    }
    void answerIngest(fastPath, endpoint, req, res, { hostname: '127.0.0.1', port });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const url = (path: string) => `http://127.0.0.1:${port}${path}`;

/** Raw requests on one connection, answers split by the client as they arrive. */
function onOneConnection(...requests: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => requests.forEach((r) => socket.write(r)));
    let out = '';
    socket.on('data', (d) => {
      out += d;
      if (out.split('HTTP/1.1 ').length - 1 === requests.length) socket.end();
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    setTimeout(() => resolve(out), 5_000);
  });
}

it("the server reads the route's own handlers from the slot instrumentation.ts fills", () => {
  expect(SERVER_SLOT).toBe(INGEST_FAST_PATH);
  delete (globalThis as Record<symbol, unknown>)[INGEST_FAST_PATH];
  expect(publishedFastPath()).toBeNull();
  publishIngestFastPath();
  const published = publishedFastPath()!;
  expect(published.ingestAnswer).toBe(ingestAnswer);
  expect(published.preflightAnswer).toBe(preflightAnswer);
  expect(published.endpoints).toEqual(expect.arrayContaining(['t', 'i', 'p', 's', 'g', 'a', 'b', 'batch', 'track']));
  delete (globalThis as Record<symbol, unknown>)[INGEST_FAST_PATH];
});

describe('which requests the fast path takes', () => {
  it('only POST and OPTIONS on the exact paths; anything else is left to Next.js', async () => {
    const took = async (method: string, path: string, headers: Record<string, string> = {}) => {
      const before = fellThrough;
      await fetch(url(path), { method, headers, ...(method === 'POST' && { body: '{}' }) });
      return fellThrough === before;
    };
    expect(await took('POST', '/api/cdp/v1/t')).toBe(true);
    expect(await took('OPTIONS', '/api/cdp/v1/batch')).toBe(true);
    for (const path of ['/api/cdp/v1/t/', '/api/cdp/v1/%74', '/api/cdp/v1/t?x=1', '/api/cdp/v1/nope', '/api/cdp/v1/'])
      expect(await took('POST', path), path).toBe(false);
    expect(await took('GET', '/api/cdp/v1/t')).toBe(false);
    expect(await took('PUT', '/api/cdp/v1/t')).toBe(false);
  });

  it("takes requests with forwarding headers, believing them only with TRUST_PROXY (else the socket's address)", async () => {
    const before = fellThrough;
    await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(seen.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
    await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}', headers: { 'X-Real-IP': '203.0.113.9' } });
    expect(seen.at(-1)!.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1' });
    expect(seen.at(-1)!.headers['x-real-ip']).toBeUndefined();
    trusted = true;
    try {
      await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}', headers: { 'X-Forwarded-For': '203.0.113.9' } });
      expect(seen.at(-1)!.headers['x-forwarded-for']).toBe('203.0.113.9');
    } finally {
      trusted = false;
    }
    expect(fellThrough).toBe(before);
  });
});

describe('the request the handler gets', () => {
  it('carries the X-Forwarded-* headers Next.js fills in when absent, and those sent only with TRUST_PROXY', async () => {
    await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: 'x'.repeat(100_000) });
    expect(seen.at(-1)).toMatchObject({
      url: `http://127.0.0.1:${port}/api/cdp/v1/t`,
      bytes: 100_000,
      headers: {
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-host': `127.0.0.1:${port}`,
        'x-forwarded-port': String(port),
        'x-forwarded-proto': 'http',
      },
    });
    // Without it a client's own named the request's origin (proxy.ts drops them on the way through Next.js).
    const named = () =>
      fetch(url('/api/cdp/v1/t'), {
        method: 'POST',
        body: '{}',
        headers: { 'X-Forwarded-Host': 'shop.example', 'X-Forwarded-Proto': 'https' },
      });
    await named();
    expect(seen.at(-1)!.headers).toMatchObject({
      'x-forwarded-host': `127.0.0.1:${port}`,
      'x-forwarded-proto': 'http',
    });
    trusted = true;
    try {
      await named();
      expect(seen.at(-1)!.headers).toMatchObject({ 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' });
    } finally {
      trusted = false;
    }
  });
});

describe('the answer', () => {
  it("has next.config.ts's headers first (kept), then the answer's as its Response has them, and a length", async () => {
    const res = await fetch(url('/api/cdp/v1/b'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(201);
    const body = { path: ['b'], bytes: 2, note: 'déjà' };
    expect(await res.json()).toEqual(body);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('retry-after')).toBe('3');
    // As Response.json: a Content-Type, and the length in bytes (not characters).
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify(body))));
  });

  it('a preflight answer has no body and no Content-Type', async () => {
    const res = await fetch(url('/api/cdp/v1/t'), { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('x');
    expect(res.headers.get('content-type')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('a handler that throws gets a 500 without a body, as a route that throws, and the server goes on', async () => {
    const res = await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}', headers: { 'x-test': 'throw' } });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}' })).status).toBe(201);
  });

  it('a body the handler leaves unread is dropped, so the connection serves the next request', async () => {
    const big = 'x'.repeat(600_000);
    const out = await onOneConnection(
      `POST /api/cdp/v1/t HTTP/1.1\r\nHost: a\r\nX-Test: unread\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
      'POST /api/cdp/v1/b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(out.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 201', 'HTTP/1.1 201']);
    expect(out).toContain('{"path":["b"],"bytes":2,');
  });

  it('a body that arrives in parts is read as it comes, on a connection that then serves the next request', async () => {
    // Fifteen parts: the reader waits for each, and a listener left behind per wait would warn past ten.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const parts = ['{"first":', ...'1234567890123'.split(''), '}'];
    const body = parts.join('');
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = net.connect(port, '127.0.0.1', async () => {
          socket.write(`POST /api/cdp/v1/t HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`);
          for (const part of parts) {
            socket.write(part);
            await new Promise((r) => setTimeout(r, 20));
          }
          socket.write('POST /api/cdp/v1/b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}');
        });
        socket.on('data', (d) => {
          text += d;
          if (text.split('HTTP/1.1 ').length - 1 === 2) socket.end();
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(out.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 201', 'HTTP/1.1 201']);
      expect(seen.at(-2)).toMatchObject({ bytes: body.length, text: body });
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a client that keeps sending what is left of an answered body is disconnected after the body timeout', async () => {
    // One byte now and then kept the connection (and its socket) until Node's requestTimeout, 300 s.
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('POST /api/cdp/v1/t HTTP/1.1\r\nHost: a\r\nX-Test: unread\r\nContent-Length: 100000\r\n\r\n{"a":'),
      );
      const trickle = setInterval(() => socket.write('1'), 50);
      socket.on('data', (d) => (text += d));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(text);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
  });

  it('a client that drops the connection mid-body does not take the server down', async () => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /api/cdp/v1/t HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n{"partial":');
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.on('close', resolve));
    expect((await fetch(url('/api/cdp/v1/t'), { method: 'POST', body: '{}' })).status).toBe(201);
  });
});
