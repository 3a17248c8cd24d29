import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { headerGarbage, hostileValue, percentGarbage, queryValue, toJsonText } from './support/arbitraries';
import {
  expectApiAnswer,
  expectPageAnswer,
  expectStillServing,
  fuzzServer,
  recordRequests,
  send,
  unexpectedServerErrors,
  type FuzzRequest,
} from './support/client';
import { fuzzSettings } from './support/settings';

/**
 * Pages, console pages and the ops API with percent garbage in every dynamic segment, hostile query strings
 * and wrong bodies: a page answers with an HTML page (or a redirect), an API with JSON `{ error }`, never a 5xx.
 */
const DYNAMIC = [
  '/products/{}',
  '/collections/{}',
  '/orders/{}',
  '/cart/restore/{}',
  '/ops/people/{}',
  '/ops/outbox/{}',
  '/ops/segments/{}',
  '/ops/anonymous/{}',
  '/api/ops/people/{}',
  '/api/ops/people/{}/timeline',
  '/api/ops/segments/{}',
  '/api/ops/anonymous/{}',
  '/api/cdp/v1/{}',
  '/{}',
  '/products/{}/{}',
];

const PAGES = [
  '/',
  '/cart',
  '/checkout',
  '/quiz',
  '/collections',
  '/collections/cleansers',
  '/products/gentle-gel-cleanser',
  '/account',
  '/account/login',
  '/account/signup',
  '/ops',
  '/ops/login',
  '/ops/funnel',
  '/ops/journeys',
  '/ops/outbox',
  '/ops/forwarding',
  '/ops/quality',
  '/ops/segments',
];

/** Each ops API read with the query parameters it takes, plus any others. */
const OPS_READS: Record<string, string[]> = {
  '/api/ops/people': ['email', 'q', 'limit'],
  '/api/ops/anonymous': ['limit'],
  '/api/ops/outbox': ['to', 'journey', 'limit'],
  '/api/ops/forwarding': ['limit'],
  '/api/ops/journeys/runs': ['person', 'journey', 'limit'],
  '/api/ops/quality': [],
  '/api/ops/rejections': ['reason', 'limit'],
  '/api/ops/segments': [],
  '/api/ops/journeys': [],
  '/api/ops/clock': [],
};

const { runs, seed } = fuzzSettings();

const isApi = (path: string) => path.startsWith('/api/');

/** The ops token, a wrong one, a garbage console cookie, or nothing. */
const credentials = fc.constantFrom('token', 'token', 'token', 'wrong-token', 'cookie-garbage', 'none');

function authHeaders(kind: string, garbage: string): Record<string, string> {
  const { opsToken } = fuzzServer();
  if (kind === 'token') return { authorization: `Bearer ${opsToken}` };
  if (kind === 'wrong-token') return { authorization: `Bearer ${garbage || 'x'}` };
  if (kind === 'cookie-garbage') return { cookie: `glowlab_ops=${garbage}` };
  return {};
}

function expectAnswer(request: FuzzRequest, answer: Awaited<ReturnType<typeof send>>) {
  if (isApi(request.path)) expectApiAnswer(request, answer);
  else expectPageAnswer(request, answer);
}

describe('fuzz: pages, the console and the ops API', () => {
  afterAll(() => recordRequests('routes'));

  it('answers percent garbage in any dynamic segment with a page or a JSON error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DYNAMIC),
        fc.array(percentGarbage, { minLength: 2, maxLength: 2 }),
        fc.constantFrom('GET', 'GET', 'HEAD', 'POST'),
        credentials,
        headerGarbage,
        async (template, [a, b], method, auth, garbage) => {
          let i = 0;
          const path = template.replace(/\{\}/g, () => (i++ === 0 ? a! : b!));
          const request: FuzzRequest = {
            method,
            path,
            headers: { accept: 'text/html', ...authHeaders(auth, garbage) },
            ...(method === 'POST' ? { body: '{}' } : {}),
          };
          expectAnswer(request, await send(request));
        },
      ),
      { seed, numRuns: runs * 2 },
    );
  });

  it('answers hostile query strings on pages and ops reads alike', async () => {
    const paths = [...PAGES, ...Object.keys(OPS_READS)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                'limit',
                'email',
                'q',
                'to',
                'journey',
                'person',
                'variant',
                'utm_source',
                'token',
                'error',
                'next',
              ),
              queryValue,
            ),
            queryValue,
          ),
          { maxLength: 4 },
        ),
        credentials,
        headerGarbage,
        async (path, params, auth, garbage) => {
          const query = params.map(([k, v]) => `${k}=${v}`).join('&');
          const request: FuzzRequest = { method: 'GET', path: `${path}?${query}`, headers: authHeaders(auth, garbage) };
          expectAnswer(request, await send(request));
        },
      ),
      { seed, numRuns: runs * 2 },
    );
  });

  it('answers wrong bodies to the ops commands and the console sign-in, never a 5xx', async () => {
    const clockMove = fc.oneof(
      fc.record({ advance: hostileValue }, { requiredKeys: [] }),
      fc.record({ set: hostileValue }, { requiredKeys: [] }),
      fc.record({
        advance: fc.oneof(
          fc.constantFrom('4h', '0s', '-1h', '1e309h', '9999999999w', '1.5d', '4 h', ''),
          fc.tuple(fc.nat(), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w')).map(([n, u]) => `${n}${u}`),
        ),
      }),
      fc.record({
        set: fc.constantFrom(
          '0000-01-01T00:00:00Z',
          '9999-12-31T23:59:59.999Z',
          '2026-01-01T00:00:00+14:00',
          '1970-01-01T00:00:00Z',
          '2026-03-01T12:00:00Z',
        ),
      }),
      hostileValue,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/ops/clock', '/api/ops/journeys/run', '/api/ops/session'),
        clockMove,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ),
        credentials,
        async (path, move, contentType, auth) => {
          const form = path === '/api/ops/session';
          const body = form
            ? new URLSearchParams({ token: toJsonText(move).slice(0, 200) }).toString()
            : toJsonText(move);
          const request: FuzzRequest = {
            method: 'POST',
            path,
            headers: { 'content-type': contentType, ...authHeaders(auth, 'x') },
            body,
          };
          expectApiAnswer(request, await send(request));
        },
      ),
      { seed, numRuns: runs },
    );
    // Back to a sane time for the files that follow (a move back has to say rewind).
    const { opsToken } = fuzzServer();
    const reset = await send({
      method: 'POST',
      path: '/api/ops/clock',
      headers: { authorization: `Bearer ${opsToken}` },
      body: JSON.stringify({ set: new Date().toISOString(), rewind: true }),
    });
    expect(reset.status).toBe(200);
  });

  it('keeps serving, and logged no unexpected error', async () => {
    await expectStillServing();
    expect(unexpectedServerErrors()).toEqual([]);
  });
});
