import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { qualityResponse } from '@/lib/cdp/ops/contract';
import { EVENT_NAMES } from '@/lib/tracking/plan';
import { logIn, signUp } from './support/accounts';
import { address, answerQuiz, fillCheckout, placeOrder, uniqueEmail } from './support/shop';
import {
  anonymousEvents,
  named,
  ops,
  personOf,
  shopperContext,
  timelineOf,
  trackSent,
  visit,
  waitForPerson,
} from './support/tracking';

// Runs last (its `last` project depends on the others in playwright.config.ts): after every other spec has sent its events, the pipeline's
// data-quality report must show no violation for anything the shop sends.

/** Every call the shop makes: page calls, identify, and each planned track event but Cart Restored (journeys). */
const SHOP_TRACKS = EVENT_NAMES.filter((n) => n !== 'Cart Restored');

test('every event the shop sent during the suite passes the tracking plan', async ({ browser, request, baseURL }) => {
  // One shopper who touches every call site, so this check never passes on an empty pipeline.
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const email = uniqueEmail('plan');

  await visit(page, '/collections/serums');
  const searched = trackSent(page, 'Products Searched');
  await visit(page, '/search?q=serum');
  await searched;
  await visit(page, '/quiz');
  await answerQuiz(page, (question) => question.options[0]!);
  const routine = page.getByRole('form', { name: 'Send me my routine' });
  await routine.getByLabel('Email').fill(email);
  await routine.getByRole('button', { name: 'Send my routine' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent! Check your inbox' })).toBeVisible();

  await visit(page, `/products/${getProductByHandle('ceramide-serum')!.handle}`);
  await page.getByRole('button', { name: 'Increase quantity' }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart, 2 items' }).click();
  await page.getByRole('button', { name: /^Decrease quantity of/ }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await visit(page, '/checkout');
  await fillCheckout(page, address(email, 'DE'));
  await placeOrder(page);

  await signUp(page, email, 'Plan Checker');
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await logIn(page, email);
  await expect(page).toHaveURL(/\/account$/);

  const person = await waitForPerson(request, email);
  await expect
    .poll(
      async () => {
        const timeline = await timelineOf(request, person.id);
        return SHOP_TRACKS.filter((name) => named(timeline, name).length === 0);
      },
      { message: 'events this shopper has not sent yet' },
    )
    .toEqual([]);
  await context.close();
  // Each of this shopper's calls is vouched for (signup, logout, login, order): none kept off her as a stranger's.
  const devices = (await personOf(request, person.id)).anonymous_ids;
  for (const device of devices) {
    const { events } = await anonymousEvents(request, device);
    expect(events.flatMap((e) => e.violations.map((v) => v.kind))).not.toContain('unverified_user_id');
  }

  const { events } = await ops(request, 'quality', qualityResponse);
  const shopRows = events.filter((row) =>
    row.type === 'track'
      ? SHOP_TRACKS.includes(row.name as (typeof SHOP_TRACKS)[number])
      : ['page', 'identify'].includes(row.type),
  );
  expect(shopRows.map((r) => (r.type === 'track' ? r.name : r.type)).toSorted()).toEqual(
    [...SHOP_TRACKS, 'identify', 'page'].toSorted(),
  );
  // Calls forged on purpose (cart-recovery.spec.ts posts an Order Completed for a shopper from a stranger's browser)
  // are kept with `unverified_user_id` alone: not the shop's, so not counted; the shop's own are checked above.
  for (const row of shopRows) {
    const { unverified_user_id: forged = 0, ...violations } = row.violations;
    expect({ name: row.name, violations, invalid: row.count - row.valid - forged }, `${row.type} ${row.name}`).toEqual({
      name: row.name,
      violations: {},
      invalid: 0,
    });
  }
});
