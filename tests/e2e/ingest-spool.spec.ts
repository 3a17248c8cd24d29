import SQLite from 'better-sqlite3';
import { anonymousResponse } from '@/lib/cdp/ops/contract';
import { OPS_TOKEN, SERVER_WRITE_KEY, startServer } from '../../scripts/bench/journeys-server.mjs';
import { skipEmailPopup } from './support/shop';
import { expect, test } from './support/test';
import { anonymousIdCookie } from './support/tracking';

// README "Deploy" (timeouts): the browser SDK treats any answer as delivered, so calls it made while the database was
// not answering (here SQLite locked past its 5 s busy timeout by another process, as a backup or a long write holds
// it) were lost with their 503. The production server (scripts/serve.mjs, the ingest's fast path) keeps them in its
// spool, answers 200, and stores them once the database answers.

type Server = Awaited<ReturnType<typeof startServer>>;

async function pageCallsOf(server: Server, anonymousId: string) {
  const response = await fetch(`${server.url}/api/ops/anonymous/${encodeURIComponent(anonymousId)}`, {
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return anonymousResponse.parse(await response.json()).events.filter((e) => e.type === 'page');
}

test('the browser’s calls made while the database is locked are in the pipeline once it answers', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await startServer();
  try {
    await skipEmailPopup(page);
    // The shop's server has called before: the manual clock is set (setting it is a write).
    const warmUp = await fetch(`${server.url}/api/cdp/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${SERVER_WRITE_KEY}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch: [{ type: 'track', event: 'Shop Started', anonymousId: 'spool-warm-up' }] }),
    });
    expect(warmUp.status).toBe(200);

    const lock = new SQLite(server.dbFile);
    lock.exec('begin immediate');
    try {
      const answered = page.waitForResponse(
        (r) => r.url().endsWith('/api/cdp/v1/p') && r.request().method() === 'POST',
        { timeout: 60_000 },
      );
      await page.goto(`${server.url}/products/gentle-gel-cleanser`);
      const answer = await answered;
      expect(answer.status(), 'answered as delivered: the SDK would drop it after any answer').toBe(200);
      expect(await answer.json()).toMatchObject({ success: true, stored: 0, spooled: 1 });
    } finally {
      lock.exec('rollback');
      lock.close();
    }

    const anonymousId = (await anonymousIdCookie(page.context()))!;
    // The drain tries again while lines wait (after 5 s, then less often), and at once when a request is stored.
    await expect.poll(async () => (await pageCallsOf(server, anonymousId)).length, { timeout: 30_000 }).toBe(1);
    const [stored] = await pageCallsOf(server, anonymousId);
    expect(stored?.properties).toMatchObject({ path: '/products/gentle-gel-cleanser' });
    // Said once the drain has finished (its calls are visible as it commits them, before that).
    await expect.poll(() => server.output()).toMatch(/stored \d+ request\(s\) kept in the ingest spool/);
  } finally {
    // Stopped as a deploy stops it (the drain is part of that), then its folder goes with stop().
    server.child.kill('SIGTERM');
    await server.exited;
    await server.stop();
  }
});
