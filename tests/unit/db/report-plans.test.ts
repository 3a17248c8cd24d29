import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { recoveredOrders } from '@/lib/cdp/read/journey-report';
import { freshDatabaseUrl } from '../support/database';
import { plansOf, scansOf } from '../support/query-plans';

// The console's recovered orders at any size: the orders by the partial index of track names, each order's latest
// cart email by the outbox's person index, never a read of every event (1M at 100k people) or every email.
// SQLite has no statistics in a test, so this is the plan it would choose on any amount of data.
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
        expect.stringMatching(/^SEARCH e USING INDEX cdp_events_track_name/),
        expect.stringMatching(/^SEARCH l USING INDEX outbox_person/),
      ]),
    );
  });
});
