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

  it('qualityReport counts from the covering cdp_events_quality and reads only the events with a violation', async () => {
    const planned = await plansOf(db, (d) => qualityReport(d));
    // The recorder also sees the counts' subquery on its own: keep the statements sent.
    const [totals, kinds, ...more] = planned.filter((p) => !planned.some((o) => o !== p && o.sql.includes(p.sql)));
    expect(more).toEqual([]);
    // The counts read every event, but in the covering index, in its order (one group per type and name); no row.
    expect(scansOf(totals!, ['cdp_events'])).toEqual([
      expect.stringMatching(/^SCAN cdp_events USING COVERING INDEX cdp_events_quality: /),
    ]);
    expect(totals!.details.filter((d) => /B-TREE FOR GROUP BY/.test(d))).toHaveLength(1); // the merged groups only
    // The kinds: the partial index of the events with a violation, nothing of the valid ones.
    // (Its raw SQL names cdp_events `as e` unquoted, which scansOf does not read as an alias: named here.)
    expect(scansOf(kinds!, ['cdp_events', 'e'])).toEqual([
      expect.stringMatching(/^SCAN e USING INDEX cdp_events_invalid: /),
    ]);
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
