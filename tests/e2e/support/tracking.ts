import crypto from 'node:crypto';
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from '@playwright/test';
import type { z } from 'zod';
import {
  anonymousResponse,
  peopleResponse,
  personResponse,
  qualityResponse,
  timelineResponse,
  type PersonSummary,
  type TimelineEvent,
} from '@/lib/cdp/ops/contract';
import { skipEmailPopup } from './shop';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import { watchCsp } from './test';

/**
 * Helpers for the tracking specs. Everything is asserted through the pipeline's ops JSON API, the way the
 * ops console sees it: no test-only routes, no mocks. Every answer is parsed with its schema in
 * lib/cdp/ops/contract.ts, so a response that drifts from the published contract fails the spec.
 */
const OPS = { Authorization: `Bearer ${process.env.E2E_OPS_TOKEN}` };

/** GET an ops endpoint (on `origin`, default the main server) and parse its JSON with the route's contract schema. */
export async function ops<S extends z.ZodType>(
  request: APIRequestContext,
  path: string,
  schema: S,
  origin = '',
): Promise<z.output<S>> {
  const res = await request.get(`${origin}/api/ops/${path}`, { headers: OPS });
  expect(res.status(), `GET /api/ops/${path}`).toBe(200);
  return schema.parse(await res.json());
}

export const peopleByEmail = async (request: APIRequestContext, email: string) =>
  (await ops(request, `people?email=${encodeURIComponent(email)}`, peopleResponse)).people;

export const personOf = async (request: APIRequestContext, id: string) =>
  (await ops(request, `people/${encodeURIComponent(id)}`, personResponse)).person;

/** `path` with `cursor` added to its query (the ops API's paginated lists take it back as given). */
const withCursor = (path: string, cursor: string | null) =>
  cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path;

/** A person's whole timeline, oldest first: every page, following `next_cursor` to the end. */
export async function timelineOf(request: APIRequestContext, personId: string): Promise<TimelineEvent[]> {
  const path = `people/${encodeURIComponent(personId)}/timeline?limit=1000`;
  const events: TimelineEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: z.output<typeof timelineResponse> = await ops(request, withCursor(path, cursor), timelineResponse);
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

/** Everything sent under one anonymous id (every page) and the person it is linked to. */
export async function anonymousEvents(request: APIRequestContext, anonymousId: string, origin = '') {
  const path = `anonymous/${encodeURIComponent(anonymousId)}?limit=1000`;
  let page = await ops(request, path, anonymousResponse, origin);
  const events = [...page.events];
  while (page.next_cursor) {
    page = await ops(request, withCursor(path, page.next_cursor), anonymousResponse, origin);
    events.push(...page.events);
  }
  return { ...page, events, next_cursor: null };
}

/** How many events the pipeline (on `origin`, default the main server) has stored in all, whoever sent them. */
export const storedEventCount = async (request: APIRequestContext, origin = '') =>
  (await ops(request, 'quality', qualityResponse, origin)).events.reduce((n, e) => n + e.count, 0);

/** The one person with this email, once the pipeline has it. */
export async function waitForPerson(request: APIRequestContext, email: string): Promise<PersonSummary> {
  await expect
    .poll(async () => (await peopleByEmail(request, email)).length, { message: `a person for ${email}` })
    .toBe(1);
  return (await peopleByEmail(request, email))[0]!;
}

/** Track event names (and `page`/`identify` for other calls) in timeline order. */
export const names = (events: TimelineEvent[]) => events.map((e) => (e.type === 'track' ? e.name : e.type));
export const named = (events: TimelineEvent[], name: string) =>
  events.filter((e) => e.type === 'track' && e.name === name);

/** Moves the pipeline's manual clock (the e2e servers run with CDP_CLOCK=manual). */
export async function advanceClock(request: APIRequestContext, advance: string) {
  const res = await request.post('/api/ops/clock', { headers: OPS, data: { advance } });
  expect(res.status(), 'POST /api/ops/clock').toBe(200);
}

/** The shopper already answered the consent banner (opt-out servers track either way; this hides the banner). */
export async function acceptConsent(context: BrowserContext, baseURL: string) {
  await context.addCookies([{ name: 'glowlab_consent', value: 'granted', url: baseURL }]);
}

/**
 * A new browser profile on `baseURL` (contexts made from `browser` do not inherit the config's baseURL)
 * of a shopper who already answered the consent banner and the email popup. Pass `storageState` to
 * reopen a saved profile: the "same device, next session" of the scenarios.
 */
export async function shopperContext(
  browser: Browser,
  baseURL: string,
  {
    storageState,
    consent = true,
  }: { storageState?: Awaited<ReturnType<BrowserContext['storageState']>>; consent?: boolean } = {},
) {
  const context = watchCsp(await browser.newContext({ baseURL, ...(storageState ? { storageState } : {}) }));
  await skipEmailPopup(context);
  if (consent) await acceptConsent(context, baseURL);
  return context;
}

/** The cookie as the server reads it (the SDK may write it URI-encoded and JSON-quoted). */
export async function anonymousIdCookie(context: BrowserContext): Promise<string | undefined> {
  const raw = (await context.cookies()).find((c) => c.name === 'ajs_anonymous_id')?.value;
  return raw === undefined ? undefined : decodeURIComponent(raw).replace(/^"(.*)"$/, '$1');
}

/** What the browser SDK stored (JSON-encoded by the SDK, plain when seeded by another writer). */
export async function storedAnonymousId(page: Page): Promise<string | null> {
  const raw = await page.evaluate(() => localStorage.getItem('ajs_anonymous_id'));
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw;
  }
}

const INGEST = /\/api\/cdp\/v1\//;

/** What the browser SDK keeps of a shopper: its localStorage keys (ids, persisted queue) and its `ajs_*` cookies. */
export const sdkStorage = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ajs_') || k.startsWith('persisted-queue')));
export const ajsCookies = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) => c.name.startsWith('ajs_')).map((c) => c.name);

/** Records every request the page makes to the ingest API (path and parsed body). */
export function recordIngest(page: Page) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const onRequest = (req: Request) => {
    const url = new URL(req.url());
    if (!INGEST.test(url.pathname)) return;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(req.postData() ?? '{}') as Record<string, unknown>;
    } catch {
      // not JSON: keep the path only
    }
    calls.push({ path: url.pathname, body });
  };
  page.context().on('request', onRequest);
  const types = () =>
    calls.flatMap((c) =>
      Array.isArray(c.body.batch) ? (c.body.batch as { type: string }[]).map((m) => m.type) : [String(c.body.type)],
    );
  return { calls, types };
}

/**
 * Makes the browser SDK's requests fail, as an ad-blocker would, and calls `onBlocked` with each URL it tried.
 * Server actions are unaffected. The block is in the page's `fetch` as well as a route: the SDK sends with
 * `keepalive`, and a keepalive fetch that outlives its page (sent as a navigation starts) can leave Chromium
 * without passing Playwright's interception.
 */
export async function blockBrowserTracking(context: BrowserContext, onBlocked: (url: string) => void = () => {}) {
  const path = '/api/cdp/v1/';
  await context.exposeFunction('__glowlabTrackingBlocked', onBlocked);
  await context.addInitScript((blocked) => {
    const send = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (!url.pathname.startsWith(blocked)) return send(input, init);
      void (window as unknown as { __glowlabTrackingBlocked: (u: string) => Promise<void> }).__glowlabTrackingBlocked(
        url.href,
      );
      return Promise.reject(new TypeError('Failed to fetch'));
    };
  }, path);
  await context.route(`**${path}**`, (route) => {
    onBlocked(route.request().url());
    return route.abort('blockedbyclient');
  });
}

/**
 * Tampers with the page's server action calls whose input has the key `field` (as a hostile client would send them):
 * `rewrite` changes that first argument. Returns the answers' texts, to check what the server said to them.
 */
export async function tamperServerAction(
  page: Page,
  field: string,
  rewrite: (input: Record<string, unknown>) => Record<string, unknown>,
) {
  const answers: string[] = [];
  await page.route('**/*', async (route) => {
    const request = route.request();
    const body = request.postData() ?? '';
    if (!request.headers()['next-action'] || !body.includes(`"${field}"`)) return route.fallback();
    const [input, ...rest] = JSON.parse(body) as [Record<string, unknown>, ...unknown[]];
    const response = await route.fetch({ postData: JSON.stringify([rewrite(input), ...rest]) });
    answers.push(await response.text());
    return route.fulfill({ response });
  });
  return answers;
}

/** Resolves when the browser SDK sends the track call for `event` (before a full-page navigation could drop it). */
export function trackSent(page: Page, event: string) {
  return page.waitForRequest((r) => {
    if (!r.url().endsWith('/api/cdp/v1/t')) return false;
    try {
      return (JSON.parse(r.postData() ?? '{}') as { event?: string }).event === event;
    } catch {
      return false;
    }
  });
}

/**
 * Opens `path` and waits until the browser SDK has sent that page's page call. The SDK loads when the
 * browser is idle after hydration; navigating away sooner would drop calls still waiting in memory.
 */
export async function visit(page: Page, path: string) {
  const pathname = new URL(path, 'http://localhost').pathname;
  const sent = page.waitForRequest((r) => {
    if (!r.url().endsWith('/api/cdp/v1/p')) return false;
    try {
      return (JSON.parse(r.postData() ?? '{}') as { properties?: { path?: string } }).properties?.path === pathname;
    } catch {
      return false;
    }
  });
  const response = await page.goto(path);
  await sent;
  return response;
}

/**
 * Posts, as the browser SDK would, a Quiz Started from a new anonymous device and an identify of a new customer
 * on it: a stitched person for the ops console to show.
 */
export async function postStitchedVisitor(request: APIRequestContext) {
  const anonymousId = crypto.randomUUID();
  const userId = `cus_${crypto.randomUUID().slice(0, 12)}`;
  const email = `${userId}@example.com`;
  const call = (fields: Record<string, unknown>) => ({
    messageId: crypto.randomUUID(),
    anonymousId,
    context: { library: { name: 'analytics.js' } },
    ...fields,
  });
  const res = await request.post('/api/cdp/v1/b', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify({
      writeKey: process.env.E2E_WRITE_KEY,
      batch: [
        call({ type: 'track', event: 'Quiz Started', properties: { quiz_id: 'skin', schema_version: 1 } }),
        // As the shop's browser sends it: with the signature its server minted for this user and device.
        call({
          type: 'identify',
          userId,
          traits: { email },
          context: {
            library: { name: 'analytics.js' },
            identity_signature: await mintIdentitySignature(process.env.E2E_SERVER_WRITE_KEY!, {
              userId,
              anonymousId,
              email,
            }),
          },
        }),
      ],
    }),
  });
  expect(res.status()).toBe(200);
  return { anonymousId, userId, email };
}
