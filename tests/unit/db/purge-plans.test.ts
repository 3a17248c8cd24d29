import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { purgeAnonymous } from '@/lib/cdp/identity/purge';
import { pruneSentForwards, purgeHeldForwards } from '@/lib/cdp/store/forward-queue';
import { purgeRejections } from '@/lib/cdp/store/rejections';
import { deletePerson } from '@/lib/cdp/store/person-deletion';
import { freshDatabaseUrl } from '../support/database';
import { plansOf as plansOfStatements } from '../support/query-plans';

// The minute's purges must find their rows through an index: without one each read a whole table every minute with
// SQLite's writer, and with better-sqlite3 every request, held (2.5 s at 1M unclaimed events, migration 0016).
// SQLite has no statistics to go by here, so the planner's choice is checked on the statements the purges send.
let db: DB;
beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl());
});
afterAll(() => db.destroy());

/** The query plans (EXPLAIN QUERY PLAN details) of every statement `purge` sends. */
const plansOf = async (purge: (db: DB) => Promise<unknown>) =>
  (await plansOfStatements(db, purge)).flatMap((s) => s.details);

describe('the purges read through their indexes (SQLite)', () => {
  const now = new Date();
  it.each([
    ['purge-anonymous', 'cdp_events_unclaimed', (d: DB) => purgeAnonymous(d, now)],
    ['purge-rejections', 'cdp_rejections_received_at', (d: DB) => purgeRejections(d, now)],
    ['the forward prune', 'cdp_forward_queue_sent', (d: DB) => pruneSentForwards(d, now.toISOString())],
    ['the held-forward purge', 'cdp_forward_queue_held', (d: DB) => purgeHeldForwards(d, now)],
  ])('%s finds its rows with %s', async (_, index, purge) => {
    const details = await plansOf(purge);
    expect(details.some((d) => d.includes(`INDEX ${index} `))).toBe(true);
    expect(details.filter((d) => /^SCAN cdp_/.test(d))).toEqual([]);
  });
});

describe('User Deleted reads through indexes (SQLite)', () => {
  it('finds the calls naming the person on browsers never linked to them with cdp_events_named_user', async () => {
    const at = new Date().toISOString();
    await db
      .insertInto('cdp_people')
      .values({
        id: 'cus_gone',
        email: null,
        email_trusted: null,
        email_trusted_at: null,
        traits: '{}',
        first_seen_at: at,
        last_seen_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const details = await plansOf((d) => deletePerson(d, 'cus_gone'));
    expect(details.some((d) => d.includes('INDEX cdp_events_named_user '))).toBe(true);
    expect(details.filter((d) => /^SCAN cdp_events/.test(d))).toEqual([]);
  });
});
