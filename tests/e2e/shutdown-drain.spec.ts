import SQLite from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { SERVER_WRITE_KEY, startServer } from '../../scripts/bench/journeys-server.mjs';
import { heldCustomerIo } from './support/held-customerio';

// README "Deploy" (stopping): a production server (scripts/serve.mjs) told to stop by SIGTERM during a forwarding
// pass drains it. Before, it exited as soon as its HTTP server closed: the pass's rows stayed claimed for five
// minutes, and a batch Customer.io had taken but that was not yet marked sent went out again after that.

/** Three server calls through the ingest: stored, queued for Customer.io and forwarded at once. */
async function ingestThree(url: string): Promise<string[]> {
  const ids = ['drain-1', 'drain-2', 'drain-3'];
  const batch = ids.map((messageId, i) => ({
    type: 'track',
    event: 'Product Viewed',
    anonymousId: `drain-anon-${i}`,
    messageId,
    timestamp: new Date().toISOString(),
    properties: { schema_version: 1 },
  }));
  const response = await fetch(`${url}/api/cdp/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${SERVER_WRITE_KEY}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
  return ids;
}

type Server = Awaited<ReturnType<typeof startServer>>;
/** The server's exit, or 'still running' after `ms` (a bound for the test, not a measurement). */
const exitWithin = (server: Server, ms: number) =>
  Promise.race([server.exited, new Promise<'still running'>((resolve) => setTimeout(resolve, ms, 'still running'))]);

function queue(dbFile: string) {
  const db = new SQLite(dbFile, { readonly: true });
  try {
    return db
      .prepare('select message_id, status, attempts, claimed_at, next_attempt_at from cdp_forward_queue order by id')
      .all() as Array<{
      message_id: string;
      status: string;
      attempts: number;
      claimed_at: number | null;
      next_attempt_at: number;
    }>;
  } finally {
    db.close();
  }
}

/**
 * SIGTERM to a server (scripts/serve.mjs, or `standalone`: .next/standalone/server.js) while Customer.io holds a
 * batch; Customer.io answers it once the server says it is draining (`draining`), or once it has exited were nothing
 * holding it. What Customer.io took must be marked sent (the next start would send it again otherwise). Returns
 * how the server exited and what it printed.
 */
async function stopWhileCustomerIoHolds({ standalone = false, draining }: { standalone?: boolean; draining: RegExp }) {
  const cio = await heldCustomerIo();
  const server = await startServer({ standalone, env: { CIO_WRITE_KEY: 'drain-cio-key', CIO_API_HOST: cio.origin } });
  try {
    const ids = await ingestThree(server.url);
    await cio.batchArrived();
    server.child.kill('SIGTERM');
    await Promise.race([expect.poll(() => server.output(), { timeout: 30_000 }).toMatch(draining), server.exited]);
    cio.answer(200);
    const exit = await exitWithin(server, 30_000);
    expect(exit, server.output()).not.toBe('still running');
    expect(cio.accepted).toEqual(ids);
    expect(queue(server.dbFile).map((r) => [r.message_id, r.status])).toEqual(ids.map((id) => [id, 'sent']));
    return { exit, output: server.output() };
  } finally {
    await server.stop();
    await cio.stop();
  }
}

test('SIGTERM while Customer.io holds a batch: the server waits for its answer, marks it sent and exits 0', async () => {
  test.setTimeout(180_000);
  const { exit, output } = await stopWhileCustomerIoHolds({ draining: /SIGTERM: finishing/ });
  expect(exit, output).toEqual({ code: 0, signal: null });
  expect(output).toMatch(/\[serve\] stopped in \d+ ms: requests done, background passes finished/);
});

test('SIGTERM while Customer.io does not answer: within SHUTDOWN_TIMEOUT_MS the batch is handed back, due at once', async () => {
  test.setTimeout(180_000);
  const cio = await heldCustomerIo();
  const server = await startServer({
    env: { CIO_WRITE_KEY: 'drain-cio-key', CIO_API_HOST: cio.origin, SHUTDOWN_TIMEOUT_MS: '3000' },
  });
  try {
    const ids = await ingestThree(server.url);
    await cio.batchArrived();
    const stoppedAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await exitWithin(server, 30_000);
    expect(exit, server.output()).not.toBe('still running');
    // Pending, unclaimed, not counted as a failed attempt, due by the time the server stopped: the next start (or
    // another instance) sends them at once, not in five minutes.
    const rows = queue(server.dbFile);
    expect(rows.map((r) => r.message_id)).toEqual(ids);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', claimed_at: null, attempts: 0 });
      expect(row.next_attempt_at).toBeLessThanOrEqual(stoppedAt);
    }
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/one still waiting on an answer was abandoned/);
  } finally {
    await server.stop();
    await cio.stop();
  }
});

test("Next's own server (.next/standalone/server.js) drains too, then closes and exits as Next does (143)", async () => {
  test.setTimeout(180_000);
  // The pipeline holds Next's SIGTERM listener until its drain is done (lib/cdp/runtime/start.ts).
  const { exit, output } = await stopWhileCustomerIoHolds({
    standalone: true,
    draining: /SIGTERM: draining background passes/,
  });
  expect(exit, output).toEqual({ code: 143, signal: null });
});
