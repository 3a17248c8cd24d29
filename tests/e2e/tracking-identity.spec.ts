import { type APIRequestContext, type Page } from '@playwright/test';
import { expect, test } from './support/test';
import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { findVariantBySku, getProductByHandle } from '@/lib/shop/domain/catalog';
import { signUp, logIn } from './support/accounts';
import { address, fillCheckout, placeOrder, queryProjectDb, rerunOnPostgres, uniqueEmail } from './support/shop';
import {
  acceptConsent,
  advanceClock,
  anonymousEvents,
  anonymousIdCookie,
  named,
  names,
  personOf,
  peopleByEmail,
  shopperContext,
  timelineOf,
  waitForPerson,
} from './support/tracking';

// Identity stitching end to end: real Chromium, the real browser SDK, server actions with the node SDK,
// and the local pipeline, asserted through the ops API. The `postgres` project runs the guest checkout again on two
// instances.
rerunOnPostgres();

const serum = getProductByHandle('niacinamide-serum')!;
const cream = getProductByHandle('barrier-repair-cream')!;
const bundle = findVariantBySku('GL-BUN-BARRIER')!;

const tracked = (events: TimelineEvent[]) => names(events).filter((n) => n !== 'page' && n !== 'identify');
// Events sent within a few milliseconds get near-equal timestamps: tests that assert an order move the
// manual pipeline clock between steps; the others compare sorted names.
const trackedSet = (events: TimelineEvent[]) => tracked(events).toSorted();

/** Opens a product page and waits until its Product Viewed reached the pipeline under this visitor's id. */
/**
 * Two people of one device (`[person id, the anonymous id they used]`): neither timeline holds the other's anonymous
 * id or user id, and each person owns only their own anonymous id.
 */
async function expectApart(request: APIRequestContext, [a, idA]: [string, string], [b, idB]: [string, string]) {
  const [timelineA, timelineB] = await Promise.all([timelineOf(request, a), timelineOf(request, b)]);
  expect(timelineA.filter((e) => e.anonymous_id === idB || e.user_id === b)).toEqual([]);
  expect(timelineB.filter((e) => e.anonymous_id === idA || e.user_id === a)).toEqual([]);
  expect((await personOf(request, a)).anonymous_ids).toEqual([idA]);
  expect((await personOf(request, b)).anonymous_ids).toEqual([idB]);
  return { timelineA, timelineB };
}

async function viewProduct(page: Page, handle: string) {
  await page.goto(`/products/${handle}`);
  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const product = getProductByHandle(handle)!;
  await expect
    .poll(async () =>
      named((await anonymousEvents(page.request, anonymousId)).events, 'Product Viewed').some(
        (e) => e.properties.product_id === product.id,
      ),
    )
    .toBe(true);
}

test('campaign visitor browses anonymously, comes back the next day and signs up: one stitched timeline', async ({
  browser,
  request,
  baseURL,
}) => {
  const first = await shopperContext(browser, baseURL!);
  const page = await first.newPage();
  await page.goto('/?utm_source=tiktok&utm_medium=paid_social&utm_campaign=glow_week');
  const anonymousId = (await anonymousIdCookie(first))!;
  expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);

  await viewProduct(page, serum.handle);
  await advanceClock(request, '2m');
  await viewProduct(page, bundle.product.handle);
  await advanceClock(request, '3m');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await expect
    .poll(async () => tracked((await anonymousEvents(request, anonymousId)).events))
    .toEqual(['Product Viewed', 'Product Viewed', 'Added to Cart']);
  const profile = await first.storageState();
  await first.close();

  await advanceClock(request, '24h');

  const next = await shopperContext(browser, baseURL!, { storageState: profile });
  const again = await next.newPage();
  const email = uniqueEmail('tiktok');
  await signUp(again, email, 'Tika Tok');
  await expect(again).toHaveURL(/\/account$/);
  expect(await anonymousIdCookie(next)).toBe(anonymousId);

  const person = await waitForPerson(request, email);
  await expect
    .poll(async () => tracked(await timelineOf(request, person.id)))
    .toEqual(['Product Viewed', 'Product Viewed', 'Added to Cart', 'Signed Up']);
  const timeline = await timelineOf(request, person.id);
  const [viewedSerum, viewedBundle, added] = timeline.filter((e) => e.type === 'track');
  expect([viewedSerum, viewedBundle, added].map((e) => [e!.stitched, e!.anonymous_id])).toEqual([
    [true, anonymousId],
    [true, anonymousId],
    [true, anonymousId],
  ]);
  expect(viewedSerum!.properties).toMatchObject({
    product_id: serum.id,
    product_url: `${baseURL}/products/${serum.handle}?variant=${serum.variants[0]!.id}`,
  });
  expect(added!.properties).toMatchObject({
    added: { sku: bundle.variant.sku, quantity: 1 },
    items: [
      {
        sku: bundle.variant.sku,
        product_id: bundle.product.id,
        quantity: 1,
        price: bundle.variant.priceCents / 100,
        image_url: `${baseURL}${bundle.product.image}`,
      },
    ],
    cart_value: bundle.variant.priceCents / 100,
    item_count: 1,
  });
  const signedUp = named(timeline, 'Signed Up')[0]!;
  expect(signedUp).toMatchObject({ user_id: person.id, properties: { method: 'password' } });
  // A day passed between the two sessions: the pipeline's clock says so too.
  expect(Date.parse(signedUp.timestamp) - Date.parse(added!.timestamp)).toBeGreaterThanOrEqual(24 * 3600_000 - 60_000);

  const [customer] = await queryProjectDb<{ id: string; acquisition_source: string }>(
    'select id, acquisition_source from customers where email = ?',
    email,
  );
  expect(customer).toEqual({ id: person.id, acquisition_source: 'tiktok' });
  expect((await personOf(request, person.id)).traits).toMatchObject({
    email,
    acquisition_source: 'tiktok',
    first_seen_at: expect.any(String),
  });
  await next.close();
});

test('guest checkout identifies the buyer; a later signup with that email lands on the same person', async ({
  browser,
  request,
  baseURL,
}) => {
  const email = uniqueEmail('guest');
  const checkout = await shopperContext(browser, baseURL!);
  const page = await checkout.newPage();
  await viewProduct(page, serum.handle);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  await fillCheckout(page, address(email));
  const orderId = await placeOrder(page);
  const guestDevice = (await anonymousIdCookie(checkout))!;

  const person = await waitForPerson(request, email);
  const [customer] = await queryProjectDb<{ id: string }>('select id from customers where email = ?', email);
  expect(person.id).toBe(customer!.id);
  await expect
    .poll(async () =>
      named(await timelineOf(request, person.id), 'Order Completed').map((e) => [
        e.properties.order_id,
        e.sources,
        e.user_id,
      ]),
    )
    .toEqual([[orderId, ['server'], person.id]]);
  const guestTimeline = await timelineOf(request, person.id);
  expect(named(guestTimeline, 'Added to Cart')[0]).toMatchObject({ stitched: true, anonymous_id: guestDevice });
  expect(named(guestTimeline, 'Checkout Started')).toHaveLength(1);
  await checkout.close();

  await advanceClock(request, '1h');
  const later = await shopperContext(browser, baseURL!);
  const laterPage = await later.newPage();
  await viewProduct(laterPage, cream.handle);
  const laterDevice = (await anonymousIdCookie(later))!;
  await signUp(laterPage, email, 'Ada Shopper');
  await expect(laterPage).toHaveURL(/\/account$/);

  await expect
    .poll(async () => (await personOf(request, person.id)).anonymous_ids.toSorted())
    .toEqual([guestDevice, laterDevice].toSorted());
  expect(await peopleByEmail(request, email)).toHaveLength(1);
  await expect.poll(async () => named(await timelineOf(request, person.id), 'Signed Up')).toHaveLength(1);
  const timeline = await timelineOf(request, person.id);
  expect(named(timeline, 'Product Viewed').map((e) => [e.properties.product_id, e.anonymous_id])).toEqual([
    [serum.id, guestDevice],
    [cream.id, laterDevice],
  ]);
  expect(named(timeline, 'Order Completed')).toHaveLength(1);
  await later.close();
});

test('two devices browse anonymously, then sign into one account: one person, two anonymous ids', async ({
  browser,
  request,
  baseURL,
}) => {
  const email = uniqueEmail('two-devices');
  const phone = await shopperContext(browser, baseURL!);
  const laptop = await shopperContext(browser, baseURL!);
  const onPhone = await phone.newPage();
  const onLaptop = await laptop.newPage();
  await viewProduct(onPhone, serum.handle);
  await viewProduct(onLaptop, cream.handle);
  const phoneId = (await anonymousIdCookie(phone))!;
  const laptopId = (await anonymousIdCookie(laptop))!;
  expect(phoneId).not.toBe(laptopId);

  await signUp(onPhone, email);
  await expect(onPhone).toHaveURL(/\/account$/);
  await logIn(onLaptop, email);
  await expect(onLaptop).toHaveURL(/\/account$/);

  const person = await waitForPerson(request, email);
  await expect
    .poll(async () => (await personOf(request, person.id)).anonymous_ids.toSorted())
    .toEqual([phoneId, laptopId].toSorted());
  await expect
    .poll(async () => trackedSet(await timelineOf(request, person.id)))
    .toEqual(['Logged In', 'Product Viewed', 'Product Viewed', 'Signed Up']);
  const viewed = named(await timelineOf(request, person.id), 'Product Viewed');
  expect(viewed.map((e) => [e.properties.product_id, e.anonymous_id, e.stitched])).toEqual(
    expect.arrayContaining([
      [serum.id, phoneId, true],
      [cream.id, laptopId, true],
    ]),
  );
  await phone.close();
  await laptop.close();
});

test('shared device: after A logs out, B browses and signs up — neither timeline holds the other', async ({
  browser,
  request,
  baseURL,
}) => {
  const device = await shopperContext(browser, baseURL!);
  const page = await device.newPage();
  const emailA = uniqueEmail('person-a');
  const emailB = uniqueEmail('person-b');

  await viewProduct(page, serum.handle);
  const idA = (await anonymousIdCookie(device))!;
  await signUp(page, emailA, 'Person A');
  await expect(page).toHaveURL(/\/account$/);
  const personA = await waitForPerson(request, emailA);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => anonymousIdCookie(device)).not.toBe(idA);
  const idB = (await anonymousIdCookie(device))!;
  await expect
    .poll(async () => trackedSet(await timelineOf(request, personA.id)))
    .toEqual(['Logged Out', 'Product Viewed', 'Signed Up']);

  await viewProduct(page, cream.handle);
  expect(await anonymousIdCookie(device)).toBe(idB);
  await signUp(page, emailB, 'Person B');
  await expect(page).toHaveURL(/\/account$/);
  const personB = await waitForPerson(request, emailB);
  expect(personB.id).not.toBe(personA.id);

  await expect
    .poll(async () => trackedSet(await timelineOf(request, personB.id)))
    .toEqual(['Product Viewed', 'Signed Up']);
  const { timelineA, timelineB } = await expectApart(request, [personA.id, idA], [personB.id, idB]);
  expect(named(timelineB, 'Product Viewed').map((e) => e.properties.product_id)).toEqual([cream.id]);
  expect(named(timelineA, 'Product Viewed').map((e) => e.properties.product_id)).toEqual([serum.id]);
  await device.close();
});

test('shared device without a logout: a guest order as A, then B signs up — B starts on a fresh anonymous id', async ({
  browser,
  request,
  baseURL,
}) => {
  const device = await shopperContext(browser, baseURL!);
  const page = await device.newPage();
  const emailA = uniqueEmail('guest-a');
  const emailB = uniqueEmail('signup-b');

  await viewProduct(page, serum.handle);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  await fillCheckout(page, address(emailA));
  await placeOrder(page);
  const idA = (await anonymousIdCookie(device))!;
  const personA = await waitForPerson(request, emailA);

  await signUp(page, emailB, 'Person B');
  await expect(page).toHaveURL(/\/account$/);
  const idB = (await anonymousIdCookie(device))!;
  expect.soft(idB).not.toBe(idA);
  await viewProduct(page, cream.handle);
  const personB = await waitForPerson(request, emailB);
  expect(personB.id).not.toBe(personA.id);

  await expect
    .poll(async () => trackedSet(await timelineOf(request, personB.id)))
    .toEqual(['Product Viewed', 'Signed Up']);
  await expect.poll(async () => named(await timelineOf(request, personA.id), 'Order Completed')).toHaveLength(1);
  const { timelineA, timelineB } = await expectApart(request, [personA.id, idA], [personB.id, idB]);
  expect(named(timelineA, 'Product Viewed').map((e) => e.properties.product_id)).toEqual([serum.id]);
  expect(named(timelineA, 'Signed Up')).toEqual([]);
  expect(named(timelineB, 'Product Viewed').map((e) => e.properties.product_id)).toEqual([cream.id]);
  // The browser's identify of B went out with the new id and the signature the server made for it: none held back.
  expect(timelineB.flatMap((e) => e.violations.map((v) => v.kind))).not.toContain('unverified_identity');
  await device.close();
});

/** The page call the browser SDK sends for `path` on the next navigation there: its userId and anonymousId. */
async function pageCallOn(page: Page, path: string) {
  const sent = page.waitForRequest(
    (r) => r.url().endsWith('/api/cdp/v1/p') && (r.postData() ?? '').includes(`"path":"${path}"`),
  );
  await page.goto(path);
  const body = JSON.parse((await sent).postData()!) as { userId?: string | null; anonymousId: string };
  return { userId: body.userId ?? null, anonymousId: body.anonymousId };
}

test('an SDK still holding a user id the server does not know this browser as forgets it on boot', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  await signUp(page, uniqueEmail('stale-sdk'));
  await expect(page).toHaveURL(/\/account$/);
  const customerId = JSON.parse((await page.evaluate(() => localStorage.getItem('ajs_user_id')))!) as string;
  // Known by the server (signed in): the SDK keeps its user.
  expect(await pageCallOn(page, '/collections')).toMatchObject({ userId: customerId });

  // The browser's cookies are reset (the session and the anonymous id with them: a logout elsewhere, a cleared
  // cookie); its localStorage still holds the customer.
  await context.clearCookies();
  await acceptConsent(context, baseURL!);
  const call = await pageCallOn(page, '/quiz');
  const freshId = (await anonymousIdCookie(context))!;
  expect(call).toEqual({ userId: null, anonymousId: freshId });
  // The SDK stores no user (it writes a JSON null once loaded).
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('ajs_user_id'))) ?? 'null')).toBeNull();
  await expect
    .poll(async () => (await anonymousEvents(request, freshId)).events.map((e) => [e.type, e.user_id, e.violations]))
    .toEqual([['page', null, []]]);
  await context.close();
});
