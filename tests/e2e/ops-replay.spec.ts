import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './support/test';

/**
 * The console's Replay button on the Forwarding page, on dead letters of the shop's outbox. The spec writes them as
 * a hand-edited row would be (a payload that is no call: the outbox dead-letters it again on the next pass), since
 * the shop's own calls do not fail against the local pipeline.
 */
function insertDeadShopEvent(messageId: string) {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, 'shop.db'), { fileMustExist: true });
  try {
    db.prepare(
      `insert into shop_event_outbox (message_id, payload, status, attempts, next_attempt_at, person_key,
         failing_since, last_error, created_at) values (?, '{}', 'dead', 1, 0, ?, ?, ?, ?)`,
    ).run(messageId, messageId, Date.now(), 'The stored call is not one the shop can send', new Date().toISOString());
  } finally {
    db.close();
  }
}

const signIn = (page: import('@playwright/test').Page) =>
  page.goto(`/ops/forwarding?token=${encodeURIComponent(process.env.E2E_OPS_TOKEN!)}`);

test('Replay says when the console session has ended, and sends one replay however fast it is clicked', async ({
  page,
  context,
}) => {
  const [ended, doubled] = [`e2e-replay-${crypto.randomUUID()}`, `e2e-replay-${crypto.randomUUID()}`];
  insertDeadShopEvent(ended);
  insertDeadShopEvent(doubled);
  await signIn(page);
  await expect(page).toHaveURL(/\/ops\/forwarding$/);

  // Signed out meanwhile (another tab, an expiry): the API's 401 speaks to scripts; the button tells the person.
  await context.clearCookies();
  const row = (messageId: string) => page.getByRole('button', { name: new RegExp(`^Replay .* ${messageId}$`) });
  await row(ended).click();
  await expect(page.getByRole('status').filter({ hasText: 'session has ended' })).toHaveText(
    'Your console session has ended: reload the page to sign in again, then replay',
  );

  await signIn(page);
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/ops/shop-events/replay')) posts.push(r.postData() ?? '');
  });
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/ops/shop-events/replay'));
  await row(doubled).dblclick();
  expect((await answered).status()).toBe(200);
  // A second click while the first was on its way sent it again (and its 409 replaced "1 queued again").
  expect(posts).toHaveLength(1);
});
