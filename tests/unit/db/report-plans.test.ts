import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { listAnonymousVisitors } from '@/lib/cdp/read/anonymous-visitors';
import { recoveredOrders } from '@/lib/cdp/read/journey-report';
import { listOutbox } from '@/lib/cdp/read/outbox';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { encodeCursor } from '@/lib/cdp/read/page';
import { freshDatabaseUrl } from '../support/database';
import { plansOf, scansOf } from '../support/query-plans';

// The console's reports and lists at any size: no read of every event (1M at 100k people) or every email, and a
// page of a filtered list walks its index in the order it shows, sorting nothing (a pass stamps all its emails with
// one time). SQLite has no statistics in a test, so this is the plan it would choose on any amount of data.
let db: DB;
beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl());
});

describe("the console's reports read through indexes (SQLite plans)", () => {
  it('recoveredOrders finds the orders and each one’s latest cart email by index', async () => {
    const [statement, ...more] = await plansOf(db, (d) => recoveredOrders(d));
    expect(more).toEqual([]);
    expect(scansOf(statement!, ['cdp_events', 'outbox'])).toEqual([]);
    expect(statement!.details).toEqual(
      expect.arrayContaining([
        // Either index on (type = 'track', name) finds the orders without reading other events.
        expect.stringMatching(
          /^SEARCH e USING INDEX (cdp_events_track_name|cdp_events_quality) \(type=\? AND name=\?\)|^SEARCH e USING INDEX cdp_events_track_name \(name=\?/,
        ),
        expect.stringMatching(/^SEARCH l USING INDEX outbox_person/),
      ]),
    );
  });

  it('qualityReport reads a range of seqs at a time (the rowid), never every event in one statement', async () => {
    for (const id of ['quality-plan-1', 'quality-plan-2'])
      await sql`insert into cdp_events (message_id, type, name, anonymous_id, timestamp, received_at, violations)
        values (${id}, 'track', 'Mystery', 'a-q', '2026-03-01T12:00:00.000Z', '2026-03-01T12:00:00.000Z', '[{"kind":"unknown_event"}]')`.execute(
        db,
      );
    const planned = await plansOf(db, (d) => qualityReport(d, { chunkEvents: 1 }));
    // The last seq, then per range: where it ends, its counts, its kinds. Bounded by the range alone, a
    // statement holds the synchronous driver for one range's events, not the whole table's.
    expect(planned.length).toBeGreaterThanOrEqual(1 + 2 * 3);
    for (const statement of planned) {
      expect(scansOf(statement, ['cdp_events', 'e'])).toEqual([]);
      if (/seq"? >=/.test(statement.sql))
        expect(statement.details).toEqual(expect.arrayContaining([expect.stringMatching(/USING INTEGER PRIMARY KEY/)]));
    }
    expect(planned.filter((p) => /seq"? >=/.test(p.sql)).length).toBeGreaterThanOrEqual(2 * 3);
  });

  it('anonymous visitors walk cdp_events_visitors newest first and count only the visitors kept, by id', async () => {
    await sql`insert into cdp_events (message_id, type, name, anonymous_id, timestamp, received_at)
      values ('visitor-plan-1', 'track', 'Product Viewed', 'a-1', '2026-03-01T12:00:00.000Z', '2026-03-01T12:00:00.000Z')`.execute(
      db,
    );
    for (const cursor of [undefined, encodeCursor(['2026-03-02T12:00:00.000Z', 'a-0'])]) {
      const [walk, counts, ...more] = await plansOf(db, (d) => listAnonymousVisitors(d, { cursor, limit: 20 }));
      expect(more).toEqual([]);
      // The partial index in its order (no sort), from its newest end: a page reads the events since its visitors'.
      expect(walk!.details).toEqual([
        expect.stringMatching(/^(SCAN|SEARCH) cdp_events USING INDEX cdp_events_visitors\b/),
      ]);
      expect(counts!.details).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^SEARCH e USING INDEX cdp_events_anonymous \(anonymous_id=\?\)/),
        ]),
      );
      expect(scansOf(counts!, ['cdp_events', 'e'])).toEqual([]);
    }
  });

  it.each([
    ['a journey', 'outbox_journey', { journey: 'cart-recovery-lookback' }],
    ['an address, in any case', 'outbox_to', { to: 'Ada@Example.com' }],
  ])('the outbox filtered by %s walks %s newest first, on every page', async (_, index, filter) => {
    for (const cursor of [undefined, encodeCursor(['2026-03-01T12:00:00.000Z', 'msg_1'])]) {
      const [statement, ...more] = await plansOf(db, (d) => listOutbox(d, { ...filter, cursor, limit: 100 }));
      expect(more).toEqual([]);
      expect(statement!.details).toEqual([expect.stringMatching(new RegExp(`^SEARCH outbox USING INDEX ${index} `))]);
    }
  });
});
