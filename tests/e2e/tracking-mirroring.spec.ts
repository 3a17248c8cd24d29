import { expect, test } from './support/test';
import { getProductByHandle, getQuiz } from '@/lib/shop/domain/catalog';
import { address, answerQuiz, fillCheckout, placeOrder, uniqueEmail } from './support/shop';
import {
  anonymousEvents,
  anonymousIdCookie,
  blockBrowserTracking,
  named,
  names,
  recordIngest,
  shopperContext,
  tamperServerAction,
  timelineOf,
  trackSent,
  visit,
  waitForPerson,
} from './support/tracking';

// Server actions mirror Product Viewed, Added to Cart, Checkout Started and Email Captured with the browser's
// messageId (the server's copy is the one a message may show); Order Completed is sent by the server only.

const serum = getProductByHandle('hyaluronic-serum')!;
const MIRRORED = ['Product Viewed', 'Added to Cart', 'Checkout Started', 'Email Captured'] as const;

test('a page that cannot read its tracking settings still has the server mirror its events', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  // Blocked like an ad blocker would: the page never learns its config, so the browser SDK never starts.
  await context.route('**/api/shop/tracking', (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(`/products/${serum.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  const anonymousId = (await anonymousIdCookie(context))!;
  await expect
    .poll(async () => {
      const { events } = await anonymousEvents(request, anonymousId);
      return ['Product Viewed', 'Added to Cart'].map((name) => named(events, name).map((e) => e.sources));
    })
    .toEqual([[['server']], [['server']]]);
  await context.close();
});

test('with the browser SDK blocked, the mirrored events and Order Completed still reach the person', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const browserIngest: string[] = [];
  await blockBrowserTracking(context, (url) => browserIngest.push(url));
  const page = await context.newPage();
  const email = uniqueEmail('blocked');

  await page.goto(`/products/${serum.handle}`);
  const anonymousId = (await anonymousIdCookie(context))!;
  // The page mirrors Product Viewed once its island has hydrated and loaded the tracking helpers; a shopper looks
  // at the product before going on (leaving within milliseconds would cancel the mirror's request).
  await expect
    .poll(async () => names((await anonymousEvents(request, anonymousId)).events))
    .toContain('Product Viewed');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.goto('/checkout');
  await fillCheckout(page, address(email, 'GB'));
  const orderId = await placeOrder(page);

  const person = await waitForPerson(request, email);
  await expect
    .poll(async () =>
      (await timelineOf(request, person.id))
        .filter((e) => e.type === 'track')
        .map((e) => [e.name, e.sources])
        .toSorted(),
    )
    .toEqual([
      ['Added to Cart', ['server']],
      ['Checkout Started', ['server']],
      ['Email Captured', ['server']],
      ['Order Completed', ['server']],
      ['Product Viewed', ['server']],
    ]);
  const timeline = await timelineOf(request, person.id);
  expect(named(timeline, 'Added to Cart')[0]).toMatchObject({
    stitched: true,
    anonymous_id: anonymousId,
    properties: {
      added: { sku: serum.variants[0]!.sku, quantity: 1 },
      items: [{ sku: serum.variants[0]!.sku, product_url: expect.stringMatching(/^http/) }],
    },
  });
  expect(named(timeline, 'Checkout Started')[0]!.properties).toMatchObject({ shipping_country: 'US', item_count: 1 });
  expect(named(timeline, 'Order Completed')[0]!.properties).toMatchObject({
    order_id: orderId,
    currency: 'USD',
    items: [{ sku: serum.variants[0]!.sku }],
  });
  // The blocking was real: the browser tried, and nothing it sent got through.
  expect(browserIngest.length).toBeGreaterThan(0);
  expect(timeline.filter((e) => e.sources.includes('client'))).toEqual([]);
  await context.close();
});

test("an add to cart pressed before the product view's tracking code arrived is sent after the view", async ({
  browser,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  // The product page's view tracking (a chunk of its own, loaded after hydration) arrives late, as on a slow phone.
  await page.route('**/_next/static/chunks/**', async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    if (text.includes('trackProductViewed') || text.includes('Product Viewed')) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.fulfill({ response, body: text });
  });
  const ingest = recordIngest(page);
  await page.goto(`/products/${serum.handle}`);
  const added = trackSent(page, 'Added to Cart');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await added;
  const tracks = ingest.calls.flatMap((c) => (c.body.type === 'track' ? [String(c.body.event)] : []));
  expect(tracks).toEqual(['Product Viewed', 'Added to Cart']);
  await context.close();
});

test('when both sides send, the pipeline keeps one event seen by client and server', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const email = uniqueEmail('both-sides');

  await visit(page, `/products/${serum.handle}`);
  const added = trackSent(page, 'Added to Cart');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await added; // the browser's copy is on its way before the full-page navigation below
  await page.goto('/checkout');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').focus(); // leaving the field captures the email

  const person = await waitForPerson(request, email);
  // One event with both sources. Each copy counts as seen; the SDK may also resend its copy (its queue retries a
  // request the navigation cut off, under the same messageId), which the pipeline keeps as one event seen again.
  for (const name of MIRRORED) {
    await expect
      .poll(
        async () =>
          named(await timelineOf(request, person.id), name).map((e) => ({
            sources: e.sources.toSorted(),
            seen_twice: e.seen_count >= 2,
          })),
        { message: name },
      )
      .toEqual([{ sources: ['client', 'server'], seen_twice: true }]);
  }
  await context.close();
});

test('a quiz mirror with skipped answers is refused: the pipeline keeps the answers the shopper gave', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const quiz = getQuiz();
  // The server's Quiz Completed is the copy the pipeline keeps (and the quiz follow-up starts from): tampered down to
  // no answers at all, it would record the result that scoring nothing gives (the first skin type).
  const answered = await tamperServerAction(page, 'answers', (input) => ({ ...input, answers: {} }));

  await visit(page, '/quiz');
  const anonymousId = (await anonymousIdCookie(context))!;
  const completed = trackSent(page, 'Quiz Completed');
  await answerQuiz(page, (question) => question.options[3]!);
  const answers = (await completed).postDataJSON().properties.answers as Record<string, string>;
  expect(answers).toEqual(Object.fromEntries(quiz.questions.map((q) => [q.id, q.options[3]!.id])));
  await expect.poll(() => answered.some((a) => a.includes('Answer every question of the quiz.'))).toBe(true);

  await expect
    .poll(async () => named((await anonymousEvents(request, anonymousId)).events, 'Quiz Completed'))
    .toEqual([expect.objectContaining({ sources: ['client'], properties: expect.objectContaining({ answers }) })]);
  await context.close();
});

test('an Added to Cart mirror claiming more than the cart holds is refused: the pipeline keeps what was added', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  // The server's copy is the trusted one: tampered to claim 50 added while the cart holds 1, it may not be stored.
  const answered = await tamperServerAction(page, 'added', (input) => ({
    ...input,
    added: { ...(input.added as object), quantity: 50 },
  }));
  await visit(page, `/products/${serum.handle}`);
  const anonymousId = (await anonymousIdCookie(context))!;
  const added = trackSent(page, 'Added to Cart');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  expect((await added).postDataJSON().properties.added.quantity).toBe(1);
  await expect
    .poll(() => answered.some((a) => a.includes('The cart holds fewer of the added item than that.')))
    .toBe(true);
  await expect
    .poll(async () => named((await anonymousEvents(request, anonymousId)).events, 'Added to Cart'))
    .toEqual([
      expect.objectContaining({
        sources: ['client'],
        properties: expect.objectContaining({ added: expect.objectContaining({ quantity: 1 }) }),
      }),
    ]);
  await context.close();
});
