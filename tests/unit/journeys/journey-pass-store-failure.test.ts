import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { dialectOf } from '@/lib/db/dialect';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, cleanserCart, freshDb, identify, ingest, T0, testClock } from '../cdp/support';

// A pass stores each group while it loads and steps the next one (journey-pass.ts, `store`), so a group's failed
// store surfaces a group later. It must still fail the pass (no unhandled rejection, the cursor stays) and leave
// the next pass to redo everything.
const options = {
  now: new Date(T0.getTime() + 2 * 3_600_000),
  liveCartStrategy: 'lookback',
  appUrl: 'http://shop.test',
} as const;

let db: DB;
beforeEach(async () => {
  db = await freshDb();
  // A person with a cart (the people's group, which sends an email) and a stranger's anonymous cart (a later group).
  await ingest(
    db,
    [
      identify('cus_ada', 'anon-ada', { email: 'ada@example.com', cart: cleanserCart }),
      addedToCart('anon-ada'),
      addedToCart('anon-stranger'),
    ],
    testClock(T0).now,
  );
});

/** Makes every insert into `table` fail in the database itself, until the returned function is called. */
async function failInserts(table: 'outbox' | 'journey_runs'): Promise<() => Promise<void>> {
  const why = `disk full while storing ${table} (test)`;
  if (dialectOf(db) === 'postgres') {
    await sql
      .raw(
        `create function fail_insert() returns trigger language plpgsql as $$ begin raise exception '${why}'; end $$`,
      )
      .execute(db);
    await sql
      .raw(`create trigger fail_insert before insert on ${table} for each row execute function fail_insert()`)
      .execute(db);
    return async () => {
      await sql.raw(`drop trigger fail_insert on ${table}`).execute(db);
      await sql.raw('drop function fail_insert()').execute(db);
    };
  }
  await sql
    .raw(`create trigger fail_insert before insert on ${table} begin select raise(abort, '${why}'); end`)
    .execute(db);
  return async () => void (await sql.raw('drop trigger fail_insert').execute(db));
}

const cursor = async () =>
  (await db.selectFrom('journey_state').select('cursor_seq').executeTakeFirstOrThrow()).cursor_seq;

it.each(['outbox', 'journey_runs'] as const)(
  'a group whose %s cannot be stored fails the pass; the next pass redoes it',
  async (table) => {
    const repair = await failInserts(table);
    await expect(journeyPass(db, options)).rejects.toThrow(`disk full while storing ${table}`);
    expect(await cursor(), 'the cursor moves only when every group is stored').toBe(0);
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);

    await repair();
    const done = await journeyPass(db, options);
    expect(done.sent).toBe(1);
    expect(await cursor()).toBeGreaterThan(0);
    const runs = await db.selectFrom('journey_runs').select('person_id').distinct().execute();
    expect(runs.map((r) => r.person_id).sort()).toEqual(['anon-stranger', 'cus_ada']);
  },
);
