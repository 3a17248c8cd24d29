import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { answerQuiz, skipEmailPopup, uniqueEmail } from './support/shop';
import { anonymousEvents, anonymousIdCookie, names, shopperContext, waitForPerson } from './support/tracking';

// Events tracked before the page may track (opt-in before Accept, or before its settings arrive) wait in the browser,
// their server mirrors too: once allowed, both copies reach the pipeline, dated when the shopper did it, so the
// timeline keeps them where they happened.

const ceramide = getProductByHandle('ceramide-serum')!;
const optIn = `http://127.0.0.1:${process.env.E2E_OPTIN_PORT}`;

test('opt-in: what the shopper did before Accept on this page gets its server copies once Accept gave an id', async ({
  browser,
  request,
}) => {
  const context = await shopperContext(browser, optIn, { consent: false });
  const page = await context.newPage();
  await page.goto(`/products/${ceramide.handle}`);
  const banner = page.getByRole('region', { name: 'Privacy choices' });
  await expect(banner).toContainText('Nothing is collected until you accept');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cleansers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cleansers' })).toBeVisible();
  await banner.getByRole('button', { name: 'Accept' }).click();

  // The browser had no anonymous id before Accept (nothing is minted in opt-in mode): the SDK mints it, and the
  // mirrors held until then go with it, so the server's copies meet the browser's under one id.
  await expect.poll(() => anonymousIdCookie(context)).toMatch(/^[0-9a-f-]{36}$/);
  const anonymousId = (await anonymousIdCookie(context))!;
  const stored = async () => (await anonymousEvents(request, anonymousId, optIn)).events;
  const mirrored = async () =>
    (await stored())
      .filter((e) => e.type === 'track' && e.name !== 'Collection Viewed')
      .map((e) => [e.name, e.sources])
      .toSorted();
  await expect.poll(mirrored).toEqual([
    ['Added to Cart', ['client', 'server']],
    ['Product Viewed', ['client', 'server']],
  ]);
  // The server's copy is the one kept: the cart block it priced, with the restore link only it can sign.
  const added = (await stored()).find((e) => e.name === 'Added to Cart')!;
  expect(added.trusted).toBe(true);
  expect(added.properties).toMatchObject({ restore_url: expect.stringContaining('/cart/restore/') });
  // Both copies are dated when the shopper did it, not when Accept let the server's go: the timeline keeps the
  // product's events on the product's page, before the collection (whose Collection Viewed shares its page call's
  // millisecond, see tracking-page-context.spec.ts).
  const order = names(await stored()).filter((name) => name !== 'Collection Viewed');
  expect(order).toEqual(['page', 'Product Viewed', 'Added to Cart', 'page']);
  await context.close();
});

test('calls made before an identify and still waiting go as they were made: anonymous, stitched to the person', async ({
  page,
  request,
}) => {
  await skipEmailPopup(page);
  // The SDK starts only once the tracking settings arrive: here after the shopper has left their email (a slow
  // network), so every browser call waits until then, the identify the email capture asks for last.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/shop/tracking', async (route) => {
    await released;
    await route.continue();
  });
  const email = uniqueEmail('held-identify');
  await page.goto('/quiz');
  await answerQuiz(page, (question) => question.options[2]!);
  const routine = page.getByRole('form', { name: 'Send me my routine' });
  await routine.getByLabel('Email').fill(email);
  await routine.getByRole('button', { name: 'Send my routine' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent! Check your inbox' })).toBeVisible();
  release();

  const person = await waitForPerson(request, email);
  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const browserOnly = async () =>
    (await anonymousEvents(request, anonymousId)).events
      .filter((e) => e.sources.join() === 'client' && e.type !== 'identify')
      .map((e) => [names([e])[0], e.user_id, e.person_id, e.stitched]);
  // The SDK gives a call the user id it holds when it sends it: without waiting for them, the identify went first
  // and these claimed the customer (placed on them directly, as if sent after the email was left).
  await expect.poll(browserOnly).toEqual([
    ['page', null, person.id, true],
    ['Quiz Started', null, person.id, true],
    ['page', null, person.id, true],
  ]);
});
