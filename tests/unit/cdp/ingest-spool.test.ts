import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, resolveDatabasePath, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { drainBackgroundWork } from '@/lib/common/background-work';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { messageSchema } from '@/lib/cdp/model/message';
import { instanceSpool, spoolLine, SpoolFile } from '@/lib/cdp/ingest/spool';
import { drainSpool, drainSpoolNow } from '@/lib/cdp/runtime/spool-drain';
import { freshDatabaseUrl } from '../support/database';
import { failInserts } from '../support/faults';
import { tempFolder } from '../support/temp-folders';
import { identify, track, ingestRouteSuite } from './support';

// While the database is not answering (here SQLite locked by another process past its busy timeout, as a long
// write or a backup holds it), the ingest keeps each request in this instance's spool, answers 200, and a drain
// stores it once the database answers: the browser SDK never resends a request that got any answer.
const KEY = 'spool-browser-key';
const SERVER_KEY = 'spool-server-key-0123456789';
const route = ingestRouteSuite({ CDP_WRITE_KEY: KEY, CDP_SERVER_WRITE_KEY: SERVER_KEY });
let db: DB;
beforeAll(async () => {
  db = route.db();
  // 5 s, the app's busy timeout, would make each request of the test wait that long.
  await sql`pragma busy_timeout = 100`.execute(db);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Another process holding SQLite's write lock until `release()`. */
function lockDatabase() {
  const other = new SQLite(resolveDatabasePath(process.env.DATABASE_URL!));
  other.exec('begin immediate');
  return { release: () => (other.exec('rollback'), other.close()) };
}

async function post(calls: Record<string, unknown>[]) {
  const response = await handleIngest(
    new Request('http://127.0.0.1/api/cdp/v1/b', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ batch: calls, writeKey: KEY }),
    }),
    ['b'],
  );
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
}

const rowsOf = (messageId: string) =>
  db.selectFrom('cdp_events').selectAll().where('message_id', '=', messageId).execute();
const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);

/** A spool line as the ingest writes it, for a browser request of `calls` received at `at`. */
const lineOf = (calls: Record<string, unknown>[], at = new Date(), rejected = [] as never[]) =>
  spoolLine(
    calls.map((c) => ({ message: messageSchema.parse(c), identity: { check: null }, needsLink: false })),
    { receivedAt: at, trusted: false, local: true, forward: false, endpoint: 'b', rejected },
  );

/** What this instance's spool holds: appended lines and those a drain took (kicked when a request is spooled). */
function spoolText() {
  const spool = instanceSpool();
  return [spool.draining, spool.active].map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('');
}

function spoolIn(name = 'host-3000', maxBytes = 1 << 20) {
  return new SpoolFile(tempFolder('glowlab-spool-'), name, maxBytes);
}

describe('the ingest spool', () => {
  it('answers 200 while the database is locked, and stores each spooled call once when it answers again', async () => {
    quiet();
    const lock = lockDatabase();
    const during = new Date();
    const answer = await post([
      track('Product Viewed', { anonymousId: 'a1', messageId: 'm-spooled' }),
      track('Product Viewed', { anonymousId: 'a1', messageId: 'm-both' }),
    ]);
    expect(answer).toMatchObject({ status: 200, body: { success: true, stored: 0, spooled: 2 } });
    expect(await rowsOf('m-spooled'), 'nothing is stored while the database is locked').toEqual([]);
    expect(spoolText(), 'the request is on disk before it is answered').toContain('m-spooled');
    lock.release();

    // The call again, sent directly (a mirror, a resend) while the drain (kicked when it was spooled) runs.
    expect((await post([track('Product Viewed', { anonymousId: 'a1', messageId: 'm-both' })])).status).toBe(200);
    expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });

    const [spooled] = await rowsOf('m-spooled');
    expect(spooled?.anonymous_id).toBe('a1');
    expect(Date.parse(spooled!.received_at), 'stamped when it arrived, not when it drained').toBeLessThanOrEqual(
      Date.now(),
    );
    expect(Math.abs(Date.parse(spooled!.received_at) - during.getTime())).toBeLessThan(2_000);
    expect(await rowsOf('m-both'), 'one event for the messageId sent directly and spooled').toHaveLength(1);
    expect(await instanceSpool().size(), 'drained lines leave the spool').toBe(0);
    expect((await post([track('Product Viewed', { anonymousId: 'a1', messageId: 'm-spooled' })])).body).toMatchObject({
      stored: 0,
      duplicates: 1,
    });
  });

  it('drains at once when a request is stored again, not only when its retry comes', async () => {
    quiet();
    const drainer = () => (globalThis as { __spoolDrainer?: { running: Promise<unknown> | null } }).__spoolDrainer;
    const lock = lockDatabase();
    try {
      expect((await post([track('Product Viewed', { anonymousId: 'a10', messageId: 'm-waiting' })])).body.spooled).toBe(
        1,
      );
      // The drain the spooling started meets the lock too, and waits for its retry (5 s, then longer).
      await drainer()?.running?.catch(() => undefined);
      expect(drainer()?.running).toBeNull();
    } finally {
      lock.release();
    }
    expect((await post([track('Product Viewed', { anonymousId: 'a10' })])).body.stored).toBe(1);
    expect(drainer()?.running, 'the stored request started a drain').toBeInstanceOf(Promise);
    await drainer()?.running;
    expect(await rowsOf('m-waiting')).toHaveLength(1);
  });

  it('keeps a signed identify as verified when it arrived, though its signature expired before the drain', async () => {
    quiet();
    const at = new Date();
    const identity_signature = await mintIdentitySignature(SERVER_KEY, { userId: 'cus_spool1', anonymousId: 'a2' }, at);
    const signed = identify('cus_spool1', 'a2');
    signed.context = { ...(signed.context as object), identity_signature };
    const lock = lockDatabase();
    expect((await post([signed])).body.spooled).toBe(1);
    // The database answers again only once the signature has expired (10 minutes).
    vi.useFakeTimers({ toFake: ['Date'], now: at.getTime() + 11 * 60_000 });
    lock.release();
    expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });
    const [row] = await rowsOf(signed.messageId as string);
    expect(row?.identity_check).toBe('signed');
    expect(row?.person_id).toBeTruthy();
    expect(JSON.parse(row!.context), 'the signature is spent, not stored').not.toHaveProperty('identity_signature');
  });

  it('over CDP_SPOOL_MAX_BYTES the request is answered 503 with Retry-After, as before the spool', async () => {
    quiet();
    const small = JSON.stringify(lineOf([track('Product Viewed', { anonymousId: 'a3' })])).length + 200;
    process.env.CDP_SPOOL_MAX_BYTES = String(small);
    resetEnvCache();
    const lock = lockDatabase();
    try {
      expect((await post([track('Product Viewed', { anonymousId: 'a3', messageId: 'm-fits' })])).status).toBe(200);
      const big = track('Product Viewed', {
        anonymousId: 'a3',
        messageId: 'm-over',
        properties: { x: 'y'.repeat(999) },
      });
      const refused = await post([big]);
      expect(refused).toMatchObject({ status: 503, retryAfter: '5' });
      expect(spoolText()).toContain('m-fits');
      expect(spoolText()).not.toContain('m-over');
    } finally {
      lock.release();
      delete process.env.CDP_SPOOL_MAX_BYTES;
      resetEnvCache();
    }
    expect(await drainSpoolNow()).toMatchObject({ dead: 0, left: false });
    expect(await rowsOf('m-fits')).toHaveLength(1);
    expect(await rowsOf('m-over')).toEqual([]);
  });

  it('answers 503 with Retry-After when the spool cannot be written (a read-only or missing disk)', async () => {
    const errors = quiet();
    const file = path.join(tempFolder('glowlab-spool-'), 'a-file');
    fs.writeFileSync(file, '');
    process.env.CDP_SPOOL_DIR = path.join(file, 'spool');
    resetEnvCache();
    const lock = lockDatabase();
    try {
      const refused = await post([track('Product Viewed', { anonymousId: 'a9', messageId: 'm-unwritable' })]);
      expect(refused).toMatchObject({ status: 503, retryAfter: '5' });
      expect(errors).toHaveBeenCalledWith(
        '[cdp] the ingest spool could not keep a request: answering 503',
        expect.objectContaining({ code: 'ENOTDIR' }),
      );
    } finally {
      lock.release();
      delete process.env.CDP_SPOOL_DIR;
      resetEnvCache();
    }
  });

  it('sets a line it cannot store aside with the reason, and stores the lines after it', async () => {
    quiet();
    const spool = spoolIn();
    const refusedCall = { reason: 'invalid', problems: [{ path: 'event', message: 'x' }], call: {}, messageId: 'r1' };
    const lines = [
      '{"not json',
      JSON.stringify({ v: 1, endpoint: 'b' }),
      // Stores a refused call: the rejections table fails for a reason that is not the database being down.
      lineOf([track('Product Viewed', { anonymousId: 'a4', messageId: 'm-poison' })], new Date(), [
        refusedCall as never,
      ]),
      lineOf([track('Product Viewed', { anonymousId: 'a4', messageId: 'm-after' })]),
    ];
    for (const line of lines) expect(await spool.append(line)).toBe(true);
    fs.appendFileSync(spool.active, '{"cut short by a cra');

    expect(await drainSpool(failInserts(db, 'cdp_rejections'), spool)).toEqual({ drained: 1, dead: 4, left: false });
    expect(await rowsOf('m-after')).toHaveLength(1);
    expect(await rowsOf('m-poison'), 'a failed line is rolled back whole').toEqual([]);
    const dead = fs
      .readFileSync(spool.dead, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; line: string });
    expect(dead.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/^not a spooled request/),
      'failed 3 times: injected failure on an insert into cdp_rejections',
      expect.stringMatching(/^cut short by a crash/),
    ]);
    expect(dead[2]?.line, 'the line is kept whole for a person to read').toBe(lines[2]);
    expect(fs.existsSync(spool.draining)).toBe(false);
  });

  it('a database handle closed under the drain (a stopping server) leaves the line waiting, not set aside', async () => {
    const spool = spoolIn();
    await spool.append(lineOf([track('Product Viewed', { anonymousId: 'a11', messageId: 'm-closed' })]));
    const closed = await openDatabase(await freshDatabaseUrl());
    await closed.destroy();
    expect(await drainSpool(closed, spool)).toEqual({ drained: 0, dead: 0, left: true });
    expect(fs.existsSync(spool.dead)).toBe(false);
    expect((await drainSpool(db, spool)).drained).toBe(1);
    expect(await rowsOf('m-closed')).toHaveLength(1);
  });

  it('a crash after a line committed but before its checkpoint stores nothing twice', async () => {
    const spool = spoolIn();
    await spool.append(lineOf([track('Product Viewed', { anonymousId: 'a5', messageId: 'm-first' })]));
    await spool.append(lineOf([track('Product Viewed', { anonymousId: 'a5', messageId: 'm-second' })]));
    class CrashingSpool extends SpoolFile {
      override commit(): Promise<void> {
        throw new Error('the process died');
      }
    }
    await expect(drainSpool(db, new CrashingSpool(spool.dir, spool.name, spool.maxBytes))).rejects.toThrow('died');
    expect(await rowsOf('m-first'), 'committed before the crash').toHaveLength(1);

    expect(await drainSpool(db, spool)).toEqual({ drained: 2, dead: 0, left: false });
    expect(await rowsOf('m-first'), 'found again after the crash: still one event, seen once').toMatchObject([
      { seen_count: 1 },
    ]);
    expect(await db.selectFrom('cdp_spool_stored').selectAll().execute(), 'notes go with their lines').toEqual([]);
    expect(await rowsOf('m-second')).toHaveLength(1);
    expect(await spool.size()).toBe(0);
  });

  it('each instance drains its own spool', async () => {
    const mine = spoolIn('host-a-3000');
    const theirs = new SpoolFile(mine.dir, 'host-b-3000', mine.maxBytes);
    await mine.append(lineOf([track('Product Viewed', { anonymousId: 'a6', messageId: 'm-mine' })]));
    await theirs.append(lineOf([track('Product Viewed', { anonymousId: 'a6', messageId: 'm-theirs' })]));
    expect((await drainSpool(db, mine)).drained).toBe(1);
    expect(await rowsOf('m-theirs')).toEqual([]);
    expect(fs.readdirSync(mine.dir).sort()).toEqual(['host-b-3000.jsonl']);
    expect((await drainSpool(db, theirs)).drained).toBe(1);
  });

  it('a server that is stopping leaves the spool as it is, for the next start', async () => {
    const spool = spoolIn();
    const line = lineOf([track('Product Viewed', { anonymousId: 'a7', messageId: 'm-kept' })]);
    await spool.append(line);
    await drainBackgroundWork({ abandonAt: Date.now(), until: Date.now() });
    try {
      expect(await drainSpool(db, spool)).toEqual({ drained: 0, dead: 0, left: true });
      expect(await rowsOf('m-kept')).toEqual([]);
      const files = fs.readdirSync(spool.dir).map((f) => fs.readFileSync(path.join(spool.dir, f), 'utf8'));
      expect(files.join('')).toBe(`${line}\n`);
    } finally {
      // The next start: a process that is not stopping.
      (globalThis as { __backgroundWork?: unknown }).__backgroundWork = undefined;
    }
    expect((await drainSpool(db, spool)).drained).toBe(1);
    expect(await rowsOf('m-kept')).toHaveLength(1);
  });
});
