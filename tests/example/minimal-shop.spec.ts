import { expect, test as base, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { uniqueEmail } from '../e2e/support/shop';
import {
  acceptConsent,
  anonymousEvents,
  anonymousIdCookie,
  names,
  peopleByEmail,
  recordIngest,
  storedAnonymousId,
  storedEventCount,
  timelineOf,
  trackSent,
  visit,
  waitForPerson,
} from '../e2e/support/tracking';

/**
 * The example shop (examples/minimal-shop + lib/tracking + the README's files, built by scripts/example-shop.mjs)
 * posts to the main app's pipeline on another origin. Asserted through that pipeline's ops API, like the e2e suite.
 */
const test = base.extend<{ pipeline: APIRequestContext; shopper: Page }>({
  pipeline: async ({ playwright }, provide) => {
    const pipeline = await playwright.request.newContext({ baseURL: process.env.EXAMPLE_PIPELINE_URL });
    await provide(pipeline);
    await pipeline.dispose();
  },
  /** A page of a shopper who already accepted analytics (the banner stays away). */
  shopper: async ({ context, baseURL }, provide) => {
    await acceptConsent(context, baseURL!);
    await provide(await context.newPage());
  },
});

const PIPELINE = process.env.EXAMPLE_PIPELINE_URL!;
const sources = (events: TimelineEvent[]) => events.map((e) => e.sources.join('+'));

async function addToCart(page: Page, expected: string) {
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toHaveText(expected);
}

async function join(page: Page, email: string) {
  await page.getByRole('link', { name: 'Join the newsletter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Join the newsletter' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('status')).toHaveText(`Thanks, ${email} is on the list.`);
}

const ajsCookies = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) => c.name.startsWith('ajs_')).map((c) => c.name);

test('an anonymous page view and a track arrive at the pipeline under the anonymous id proxy.ts minted', async ({
  shopper: page,
  pipeline,
}) => {
  const first = await visit(page, '/');
  const minted = /ajs_anonymous_id=([0-9a-f-]{36})/.exec((await first!.headerValue('set-cookie')) ?? '')?.[1];
  expect(minted, "the README's proxy.ts sets the anonymous id on the first page").toBeDefined();
  await expect.poll(() => storedAnonymousId(page), { message: 'the browser SDK adopts the cookie' }).toBe(minted);

  const sent = trackSent(page, 'Added to Cart');
  await addToCart(page, '1 in your cart.');
  // Cross-origin, to the pipeline of TRACKING_INGEST_URL (which allows the shop through CDP_ALLOWED_ORIGINS).
  expect(new URL((await sent).url()).origin).toBe(PIPELINE);

  await expect
    .poll(async () => names((await anonymousEvents(pipeline, minted!)).events))
    .toEqual(['page', 'Added to Cart']);
  const visitor = await anonymousEvents(pipeline, minted!);
  expect(visitor.person_id).toBeNull();
  expect(visitor.events.map((e) => [e.anonymous_id, e.user_id, e.violations])).toEqual([
    [minted, null, []],
    [minted, null, []],
  ]);
  expect(visitor.events[0]!.properties).toMatchObject({ path: '/', schema_version: 1 });
  expect(visitor.events[1]!.properties).toMatchObject({ item_count: 1, cart_value: 24, currency: 'USD' });
});

test('identify with the server-minted cus_ id stitches the anonymous events into that person', async ({
  shopper: page,
  pipeline,
}) => {
  await visit(page, '/');
  const sent = trackSent(page, 'Added to Cart');
  await addToCart(page, '1 in your cart.');
  await sent;
  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const email = uniqueEmail('example');
  await join(page, email);

  const person = await waitForPerson(pipeline, email);
  expect(person.id).toMatch(/^cus_[A-Za-z0-9_-]{16,}$/);
  expect(person.anonymous_ids).toEqual([anonymousId]);
  await expect
    .poll(async () => names(await timelineOf(pipeline, person.id)).toSorted())
    .toEqual(['Added to Cart', 'identify', 'identify', 'page', 'page']);
  const timeline = await timelineOf(pipeline, person.id);
  // The server action's identify (lib/server-tracker.ts) and the browser's, both with the cookie's anonymous id.
  const identifies = timeline.filter((e) => e.type === 'identify');
  expect(sources(identifies).toSorted()).toEqual(['client', 'server']);
  expect(identifies.map((e) => [e.user_id, e.anonymous_id])).toEqual([
    [person.id, anonymousId],
    [person.id, anonymousId],
  ]);
  const anonymous = timeline.filter((e) => e.type !== 'identify');
  expect(anonymous.map((e) => [e.anonymous_id, e.stitched])).toEqual(anonymous.map(() => [anonymousId, true]));
  expect((await anonymousEvents(pipeline, anonymousId)).person_id).toBe(person.id);
});

test('consent declined (opt-out): nothing is sent, by the browser or the server, until the shopper accepts again', async ({
  page,
  context,
  baseURL,
  pipeline,
}) => {
  const ingest = recordIngest(page);
  // Opt-out: tracked before any choice.
  await visit(page, '/');
  const before = (await anonymousIdCookie(context))!;
  await expect.poll(async () => names((await anonymousEvents(pipeline, before)).events)).toEqual(['page']);
  const storedBefore = await storedEventCount(pipeline);

  const banner = page.getByRole('region', { name: 'Privacy choices' });
  await banner.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => ajsCookies(context), { message: 'Decline forgets the ajs_* cookies' }).toEqual([]);
  const sentBeforeDecline = ingest.calls.length;

  // Declined: a track, a page call and an identify on both sides (the server action reads the consent cookie).
  await addToCart(page, '1 in your cart.');
  const declinedEmail = uniqueEmail('declined');
  await join(page, declinedEmail);
  expect(ingest.calls.slice(sentBeforeDecline)).toEqual([]);

  // Accepting again (as a privacy settings page would, with the same cookie); the next page load starts afresh.
  // Its events are the markers: anything the declined period queued, persisted or sent would be there too.
  await acceptConsent(context, baseURL!);
  await visit(page, '/');
  const after = (await anonymousIdCookie(context))!;
  expect(after).not.toBe(before);
  const markerEmail = uniqueEmail('accepted');
  await join(page, markerEmail);
  const marker = await waitForPerson(pipeline, markerEmail);
  await expect
    .poll(async () => names((await anonymousEvents(pipeline, after)).events).toSorted())
    .toEqual(['identify', 'identify', 'page', 'page']);
  expect(sources((await timelineOf(pipeline, marker.id)).filter((e) => e.type === 'identify')).toSorted()).toEqual([
    'client',
    'server',
  ]);

  expect(await peopleByEmail(pipeline, declinedEmail)).toEqual([]);
  expect(names((await anonymousEvents(pipeline, before)).events)).toEqual(['page']);
  // Nothing else was stored anywhere (under another id, or none): only the four markers since the decline.
  expect(await storedEventCount(pipeline)).toBe(storedBefore + 4);
  expect(ingest.calls.slice(sentBeforeDecline).map((c) => c.path.split('/').pop())).toEqual(['p', 'p', 'i']);
});
