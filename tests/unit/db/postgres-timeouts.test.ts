import fs from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb, openDatabase, type DB } from '@/lib/db';
import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { resetEnvCache } from '@/lib/env';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { drainSpoolNow } from '@/lib/cdp/runtime/spool-drain';
import { setClock } from '@/lib/cdp/store/clock';
import { resetProcessState } from '@/lib/common/process-state';
import { freshDatabaseUrl } from '../support/database';
import { tempFolder } from '../support/temp-folders';
import { stallingProxy } from '../support/stalling-proxy';
import { track } from '../cdp/support';

// PostgreSQL whose host stops answering (a proxy that stops passing bytes, tests/unit/support/stalling-proxy.ts)
// must give requests and passes a clear error within the configured timeouts (lib/db/postgres.ts), never a wait of
// minutes; the ingest keeps what arrives meanwhile in its spool and stores it once the database answers (with the
// spool off or full, it answers 503 with Retry-After so a sender that retries comes back).
const opened: DB[] = [];
const proxies: Awaited<ReturnType<typeof stallingProxy>>[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((db) => db.destroy().catch(() => undefined)));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function behindProxy() {
  const proxy = await stallingProxy(await freshDatabaseUrl());
  proxies.push(proxy);
  return proxy;
}

async function open(url: string, timeouts: { connectMs?: number; statementMs?: number }) {
  const db = await openDatabase(url, { poolMax: 2, timeouts });
  opened.push(db);
  return db;
}

const ask = (db: DB) => sql<{ one: number }>`select 1 as one`.execute(db);

describe('PostgreSQL timeouts', () => {
  it('a query to a host that stopped answering fails with the limit it hit; the pool serves again once it answers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const proxy = await behindProxy();
    const db = await open(proxy.url, { connectMs: 500, statementMs: 300 });
    expect((await ask(db)).rows).toEqual([{ one: 1 }]);

    proxy.stall();
    const stalled = await ask(db).catch((error: unknown) => error);
    expect(isDatabaseUnavailable(stalled)).toBe(true);
    expect(stalled).toMatchObject({
      message: /did not answer within 2300 ms \(DATABASE_STATEMENT_TIMEOUT_MS \+ 2 s\)/,
    });
    // Its connection was dropped: the next query needs a new one, which the silent host does not give.
    await expect(ask(db)).rejects.toMatchObject({
      name: 'DatabaseUnavailableError',
      message: /within 500 ms \(DATABASE_CONNECT_TIMEOUT_MS\)/,
    });

    proxy.resume();
    expect((await ask(db)).rows, 'no connection that waited through the outage is used again').toEqual([{ one: 1 }]);
  });

  it('the server cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS; the connection stays usable', async () => {
    const db = await open(await freshDatabaseUrl(), { statementMs: 300 });
    await expect(sql`select pg_sleep(3)`.execute(db)).rejects.toMatchObject({
      name: 'DatabaseUnavailableError',
      message: /ran past DATABASE_STATEMENT_TIMEOUT_MS \(300 ms\)/,
    });
    expect((await ask(db)).rows).toEqual([{ one: 1 }]);
  });

  it('migrations are not bound by the statement timeout: an instance waits for another one’s migrations', async () => {
    const url = await freshDatabaseUrl();
    // Another instance migrating: it holds Kysely's migration lock (kysely's PostgresAdapter) for a while.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('select pg_advisory_lock(3853314791062309107)');
    const release = setTimeout(() => void other.query('select pg_advisory_unlock(3853314791062309107)'), 1_000);
    try {
      const db = await open(url, { statementMs: 200 });
      expect((await ask(db)).rows).toEqual([{ one: 1 }]);
      await expect(sql`select pg_sleep(1)`.execute(db), 'the app’s own handle is bound').rejects.toMatchObject({
        name: 'DatabaseUnavailableError',
      });
    } finally {
      clearTimeout(release);
      await other.end();
    }
  });
});

describe('the ingest when PostgreSQL stops answering', () => {
  const saved = { ...process.env };
  const spoolDir = tempFolder('glowlab-spool-');
  let proxy: Awaited<ReturnType<typeof stallingProxy>>;
  beforeAll(async () => {
    proxy = await stallingProxy(await freshDatabaseUrl());
    Object.assign(process.env, {
      DATABASE_URL: proxy.url,
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      DATABASE_STATEMENT_TIMEOUT_MS: '300',
      CDP_LOCAL: 'on',
      CDP_WRITE_KEY: 'timeouts-browser-key',
      CDP_SERVER_WRITE_KEY: 'timeouts-server-key-0123456789',
      CDP_SPOOL_DIR: spoolDir,
    });
    delete process.env.CIO_WRITE_KEY;
    resetEnvCache();
  });
  afterAll(async () => {
    await resetProcessState();
    process.env = { ...saved };
    resetEnvCache();
    await proxy.close();
  });

  const post = (messageId: string) =>
    handleIngest(
      new Request('http://127.0.0.1/api/cdp/v1/batch', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('timeouts-server-key-0123456789:').toString('base64')}`,
        },
        body: JSON.stringify({ batch: [track('Product Viewed', { anonymousId: 'a1', messageId })] }),
      }),
      ['batch'],
    );

  const storedTimes = async (messageId: string) =>
    (await (await getDb()).selectFrom('cdp_events').select('seq').where('message_id', '=', messageId).execute()).length;

  it('keeps a batch sent while PostgreSQL is not answering, answers 200, and stores it once it answers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await post('m-before')).status).toBe(200);

    proxy.stall();
    const answer = await post('m-during');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ success: true, stored: 0, spooled: 1 });
    expect(fs.readdirSync(spoolDir).join(), 'kept in this instance’s spool').toMatch(/\.jsonl/);

    proxy.resume();
    expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });
    expect(await storedTimes('m-during'), 'in the pipeline once it answers').toBe(1);
    expect(await (await post('m-during')).json(), 'a resend is the same event').toMatchObject({ duplicates: 1 });
    expect(await storedTimes('m-during')).toBe(1);
  });

  it('keeps a batch sent before the database ever opened (the server started while it was down), and stores it once it answers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A new process: no handle opened yet.
    await resetProcessState();
    proxy.stall();
    try {
      const answer = await post('m-first-open');
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ success: true, stored: 0, spooled: 1 });
    } finally {
      proxy.resume();
    }
    expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });
    expect(await storedTimes('m-first-open'), 'in the pipeline once it answers').toBe(1);
  });

  it('on a manual clock, a batch kept while the clock cannot be read is received at the clock’s time', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    process.env.CDP_CLOCK = 'manual';
    resetEnvCache();
    try {
      const db = await getDb();
      await setClock(db, new Date('2030-01-01T00:00:00.000Z'));
      expect((await post('m-clock-before')).status, 'the clock is read').toBe(200);

      proxy.stall();
      expect(await (await post('m-clock-during')).json()).toMatchObject({ spooled: 1 });
      proxy.resume();
      expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });
      const [row] = await db.selectFrom('cdp_events').selectAll().where('message_id', '=', 'm-clock-during').execute();
      // The manual clock runs at wall speed from where it was set: the call arrived seconds after 2030-01-01.
      expect(row?.received_at).toMatch(/^2030-01-01T00:0/);
    } finally {
      delete process.env.CDP_CLOCK;
      resetEnvCache();
    }
  });

  it('answers 503 with Retry-After when the spool is off (CDP_SPOOL_MAX_BYTES=0), so the node SDK resends', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    process.env.CDP_SPOOL_MAX_BYTES = '0';
    resetEnvCache();
    await getDb();

    proxy.stall();
    const answer = await post('m-refused');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(await answer.json()).toEqual({ error: 'The database is not answering; try again in 5 s' });
    expect(errors).toHaveBeenCalledWith(
      '[db] a request met the database not answering:',
      expect.stringMatching(/PostgreSQL at 127\.0\.0\.1:\d+ did not answer|Could not get a connection/),
    );

    proxy.resume();
    expect((await post('m-refused')).status, 'the resent batch is stored once the database answers').toBe(200);
    expect(await storedTimes('m-refused')).toBe(1);
  });
});
