import pg from 'pg';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { lockEventWriters } from '@/lib/db/dialect';
import { serializableTransaction } from '@/lib/db/transaction';
import { messageSchema } from '@/lib/cdp/model/message';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { getPerson } from '@/lib/cdp/read/people';
import { storeEvent } from '@/lib/cdp/store/events';
import { onPostgres, sharedDatabase } from '../support/database';
import { failOnNthInsert } from '../support/faults';
import { call, eventsOf, freshDb, identify, ingest, MINUTE, T0, track } from './support';

// Real concurrent transactions: on PostgreSQL they truly overlap (a pool of connections, SERIALIZABLE ingest);
// on SQLite they queue for the single writer. The outcome must be the same.

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

const all = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

describe('concurrent ingest', () => {
  it('stores a messageId sent in many requests at once exactly once, counting every sighting', async () => {
    const repeated = call('track', { event: 'Product Viewed', anonymousId: 'a' });
    const results = await all(12, () => ingest(db, [repeated], T0));
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(11);
    const events = await eventsOf(db, 'a');
    expect(events.map((e) => e.seen_count)).toEqual([12]);
  });

  it('gives one person every device identified at once, with each device’s events stitched', async () => {
    const devices = Array.from({ length: 8 }, (_, i) => `device-${i}`);
    for (const d of devices) await ingest(db, [track('Product Viewed', { anonymousId: d })], T0);
    await all(devices.length, (i) =>
      ingest(db, [identify('cus_1', devices[i], { email: 'ada@example.test', [`seen_${i}`]: true })], T0),
    );
    const person = (await getPerson(db, 'cus_1'))!;
    expect(person.anonymous_ids.toSorted()).toEqual(devices.toSorted());
    // No trait update was lost to a concurrent one.
    for (const i of devices.keys()) expect(person.traits).toHaveProperty(`seen_${i}`, true);
    expect(await db.selectFrom('cdp_people').select('id').execute()).toEqual([{ id: 'cus_1' }]);
    const unstitched = await db.selectFrom('cdp_events').select('seq').where('person_id', 'is', null).execute();
    expect(unstitched).toEqual([]);
  });

  it('gives an email identified with two user ids at the same moment to exactly one of them, merging nobody', async () => {
    for (let round = 0; round < 4; round++) {
      const email = `twin-${round}@example.test`;
      await all(2, (i) => ingest(db, [identify(`cus_${round}_${i}`, `anon-${round}-${i}`, { email })], T0));
      // Two customers with ids are never merged (Customer.io): the second identify to commit is refused.
      const people = await db.selectFrom('cdp_people').select('id').where('id', 'like', `cus_${round}_%`).execute();
      expect(people).toHaveLength(2);
      const owners = await db.selectFrom('cdp_people').select('id').where('email', '=', email).execute();
      expect(owners).toHaveLength(1);
      const refused = await db
        .selectFrom('cdp_events')
        .select('user_id')
        .where('user_id', 'like', `cus_${round}_%`)
        .where('violations', 'like', '%identity_conflict%')
        .execute();
      expect(refused).toHaveLength(1);
      expect(refused[0]!.user_id).not.toBe(owners[0]!.id);
    }
    expect(await db.selectFrom('cdp_merges').selectAll().execute()).toEqual([]);
  });

  it('stores a batch whole or not at all', async () => {
    const broken = failOnNthInsert(db, 'cdp_events', 3);
    const batch = [
      identify('cus_1', 'anon-1', { email: 'ada@example.test' }),
      track('Product Viewed', { anonymousId: 'anon-1' }),
      track('Added to Cart', { anonymousId: 'anon-1' }),
    ];
    await expect(ingest(broken, batch, T0, { forward: true })).rejects.toThrow(/injected failure/);
    for (const table of ['cdp_events', 'cdp_people', 'cdp_identities', 'cdp_forward_queue'] as const)
      expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
    expect(await ingest(db, batch, T0, { forward: true })).toEqual({
      stored: 3,
      duplicates: 0,
      forwarded: 3,
      rejected: 0,
    });
  });

  // On SQLite, requests that arrive together share a transaction (lib/db/grouped-transaction.ts).
  it('stores every request sent alongside one that is refused inside its transaction, and nothing of that one', async () => {
    const refused = [
      track('Product Viewed', { anonymousId: 'hostile' }),
      call('track', { event: 'User Deleted', userId: 'cus_1', anonymousId: 'hostile' }),
    ];
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) =>
        i === 3
          ? ingest(db, refused, T0, { trusted: false, strict: true })
          : ingest(db, [track('Product Viewed', { anonymousId: `anon-${i}` })], T0, { forward: true }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([...'ffffff'].map(() => 'fulfilled').toSpliced(3, 0, 'rejected'));
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ status: 400 });
    const stored = await db.selectFrom('cdp_events').select('anonymous_id').orderBy('anonymous_id').execute();
    expect(stored.map((e) => e.anonymous_id)).toEqual(['anon-0', 'anon-1', 'anon-2', 'anon-4', 'anon-5', 'anon-6']);
    expect(await db.selectFrom('cdp_forward_queue').select('id').execute()).toHaveLength(6);
  });
});

describe('two instances ingesting at once (two pools on one database)', () => {
  // SQLite serves one instance (README, "Deploy"): there both requests share its one handle.
  const instances = async (): Promise<[DB, DB]> => (onPostgres ? sharedDatabase() : [db, db]);
  // Before identify batches took turns (lib/db/transaction.ts), about half of 60 signups at once on PostgreSQL ran
  // out of retries on a fresh database (a 500: the browser SDK drops the calls).
  it('stores every one of many identifies of different people sent at once', async () => {
    const [a, b] = await instances();
    const results = await all(60, (i) =>
      ingest(i % 2 ? a : b, [identify(`cus_${i}`, `anon-${i}`, { email: `p${i}@example.test` })], T0),
    );
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(60);
    const people = await a.selectFrom('cdp_people').select('id').execute();
    expect(people).toHaveLength(60);
    expect(await a.selectFrom('cdp_identities').select('anonymous_id').execute()).toHaveLength(60);
  });

  // A stranger's flood of anonymous browser calls (public key) on both instances must not cost the shop's identifies
  // anything. Before every ingest took its turn against them (lib/db/transaction.ts), the flood's transactions, which
  // never waited, made an identify that ran "alone" fail as a serialization pivot on all its attempts: 17 of 40 were
  // a 500 over HTTP on PostgreSQL.
  it('stores every identify sent while strangers flood both instances with anonymous calls', async () => {
    const [a, b] = await instances();
    let flooding = true;
    const flood = all(24, async (w) => {
      for (let i = 0; flooding; i++) {
        const batch = Array.from({ length: 5 }, (_, k) =>
          track('Added to Cart', { anonymousId: `flood-${w}-${i}-${k}` }),
        );
        await ingest(w % 2 ? a : b, batch, T0, { trusted: false });
      }
    });
    const identifies = await Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 20));
        return ingest(i % 2 ? b : a, [identify(`cus_${i}`, `shopper-${i}`, { email: `s${i}@example.test` })], T0);
      }),
    );
    flooding = false;
    await flood;
    expect(identifies.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    expect(await a.selectFrom('cdp_people').select('id').execute()).toHaveLength(30);
  });

  it('stores one person’s devices identified at once from both instances, and one messageId sent 40 times once', async () => {
    const [a, b] = await instances();
    await all(40, (i) =>
      ingest(i % 2 ? a : b, [identify('cus_1', `device-${i}`, { email: 'ada@example.test', [`seen_${i}`]: true })], T0),
    );
    const person = (await getPerson(a, 'cus_1'))!;
    expect(person.anonymous_ids).toHaveLength(40);
    for (let i = 0; i < 40; i++) expect(person.traits).toHaveProperty(`seen_${i}`, true);

    const repeated = call('track', { event: 'Product Viewed', anonymousId: 'device-0' });
    const results = await all(40, (i) => ingest(i % 2 ? a : b, [repeated], T0));
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
    expect((await eventsOf(a, 'device-0')).filter((e) => e.message_id === repeated.messageId)).toMatchObject([
      { seen_count: 40 },
    ]);
  });
});

describe('the journey cursor under concurrent ingest', () => {
  it('does not skip an event whose transaction commits after a later event’s', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const inserted = new Promise<void>((resolve) => (stored = resolve));
    // An ingest transaction that took its seq first and is still open…
    const slow = db.transaction().execute(async (trx) => {
      await lockEventWriters(trx, 'shared');
      const message = messageSchema.parse(track('Added to Cart', { anonymousId: 'slow' }));
      await storeEvent(trx, message, {
        receivedAt: T0,
        source: 'server',
        trusted: true,
        identityCheck: null,
        canonicalName: 'Added to Cart',
        violations: [],
      });
      stored();
      await gate;
    });
    await inserted;
    // …while a later one commits, and a pass starts (SQLite queues both behind the open transaction).
    const fast = ingest(db, [track('Added to Cart', { anonymousId: 'fast' })], T0);
    const options = { now: new Date(T0.getTime() + MINUTE), liveCartStrategy: 'lookback' as const, appUrl: 'http://x' };
    const pass = journeyPass(db, options);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await Promise.all([slow, fast, pass]);
    await journeyPass(db, options);

    expect(await cartRecoveryRuns()).toEqual(['fast', 'slow']);
  });

  it('waits for an ingest transaction that took a seq, by the lock every ingest transaction takes first', async () => {
    // The ingest takes no lock of its own for the cursor: serializableTransaction's serial_writers lock is the one
    // the pass waits for (lib/db/dialect.ts). A pass that waited for anything else would skip 'slow' for good.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const inserted = new Promise<void>((resolve) => (stored = resolve));
    const slow = serializableTransaction(db, async (trx) => {
      const message = messageSchema.parse(track('Added to Cart', { anonymousId: 'slow' }));
      await storeEvent(trx, message, {
        receivedAt: T0,
        source: 'server',
        trusted: true,
        identityCheck: null,
        canonicalName: 'Added to Cart',
        violations: [],
      });
      stored();
      await gate;
    });
    await inserted;
    const fast = ingest(db, [track('Added to Cart', { anonymousId: 'fast' })], T0);
    // PostgreSQL: the later event is committed before the pass reads max(seq) (SQLite queues it behind 'slow').
    if (onPostgres) await fast;
    const options = { now: new Date(T0.getTime() + MINUTE), liveCartStrategy: 'lookback' as const, appUrl: 'http://x' };
    const pass = journeyPass(db, options);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await Promise.all([slow, fast, pass]);
    await journeyPass(db, options);

    expect(await cartRecoveryRuns()).toEqual(['fast', 'slow']);
  });
});

describe('an ingest transaction’s round trips on PostgreSQL', () => {
  it('takes serial_writers with its begin, shared by a call and alone by an identify: four statements a call', async (ctx) => {
    ctx.skip(!onPostgres, 'SQLite takes no lock, and has no round trips');
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    // Received after every call's timestamp, so each keeps its own.
    const receivedAt = new Date(T0.getTime() + 60 * MINUTE);
    const statements = async (calls: Parameters<typeof ingest>[1], opts: Parameters<typeof ingest>[3]) => {
      sent.mockClear();
      await ingest(db, calls, receivedAt, opts);
      // Kysely passes each query's text first.
      return sent.mock.calls.map(([query]) => String(query));
    };
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE).toISOString();
    try {
      // Begin with the lock, the identity read, the insert, the commit (no separate lock, no advisory lock).
      const call = await statements([track('Product Viewed', { anonymousId: 'browser-1', timestamp: at(0) })], {
        trusted: false,
      });
      expect(call[0]).toBe(
        'start transaction isolation level serializable; lock table serial_writers in row share mode',
      );
      expect(call.at(-1)).toBe('commit');
      expect(call).toHaveLength(4);
      const identifying = await statements([{ ...identify('user-1', 'browser-1'), timestamp: at(1) }], {});
      expect(identifying[0]).toBe(
        'start transaction isolation level serializable; lock table serial_writers in exclusive mode',
      );
      // A call on a known person: its first/last seen are refreshed by the insert, still four statements.
      const later = track('Product Viewed', { anonymousId: 'browser-1', timestamp: at(5) });
      expect(await statements([later], { trusted: false })).toHaveLength(4);
      const earlier = track('Product Viewed', { userId: 'user-1', timestamp: at(-60) });
      expect(await statements([earlier], {})).toHaveLength(4);
    } finally {
      sent.mockRestore();
    }
    const person = await db
      .selectFrom('cdp_people')
      .select(['first_seen_at', 'last_seen_at'])
      .where('id', '=', 'user-1')
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ first_seen_at: at(-60), last_seen_at: at(5) });
  });

  it('sends the identity read and the insert as named prepared statements', async (ctx) => {
    ctx.skip(!onPostgres, 'SQLite prepares every statement already (lib/db/sqlite-statements.ts)');
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      for (const anonymousId of ['browser-1', 'browser-2'])
        await ingest(db, [track('Product Viewed', { anonymousId })], T0, { trusted: false });
      const named = sent.mock.calls.map(([query]) => (query as { name?: string }).name).filter(Boolean);
      expect(named).toEqual(['placement-links:1', 'cdp-events-insert', 'placement-links:1', 'cdp-events-insert']);
    } finally {
      sent.mockRestore();
    }
    expect(await eventsOf(db, 'browser-2')).toHaveLength(1);
  });

  it('runs its transaction again unnamed when a pooler lost the prepared statements', async (ctx) => {
    ctx.skip(!onPostgres, 'SQLite has no pooler');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await ingest(db, [track('Product Viewed', { anonymousId: 'browser-1' })], T0, { trusted: false });
      // What a pooler in transaction mode does: the next transaction's server connection never saw them.
      await sql`deallocate all`.execute(db);
      await ingest(db, [track('Product Viewed', { anonymousId: 'browser-2' })], T0, { trusted: false });
      await ingest(db, [track('Product Viewed', { anonymousId: 'browser-3' })], T0, { trusted: false });
      expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringContaining('lost a prepared statement'),
      ]);
    } finally {
      warn.mockRestore();
    }
    for (const id of ['browser-1', 'browser-2', 'browser-3']) expect(await eventsOf(db, id)).toHaveLength(1);
  });
});

async function cartRecoveryRuns() {
  const runs = await db.selectFrom('journey_runs').select(['person_id', 'journey_id']).execute();
  return runs
    .filter((r) => r.journey_id === 'cart-recovery-hold')
    .map((r) => r.person_id)
    .toSorted();
}
