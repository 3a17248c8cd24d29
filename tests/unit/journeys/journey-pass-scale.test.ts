import { OperationNodeTransformer, sql, type KyselyPlugin, type PrimitiveValueListNode, type ValueNode } from 'kysely';
import { expect, it } from 'vitest';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { dialectOf } from '@/lib/db/dialect';
import { plansOf, scansOf } from '../support/query-plans';
import { addedToCart, cleanserCart, DAY, freshDb, identify, ingest, MINUTE, T0, testClock } from '../cdp/support';

// SQLite refuses a statement with more than 32,766 bound parameters ("too many SQL variables"; PostgreSQL's
// limit is 65,535): a pass whose queries take one parameter per person stopped for good past that many people.
const SQLITE_MAX_VARIABLES = 32_766;
const PEOPLE = SQLITE_MAX_VARIABLES + 100;

/** Counts the bound parameters of every statement a database handle runs; keeps the largest. */
function parameterCounter() {
  let max = 0;
  class Count extends OperationNodeTransformer {
    count = 0;
    protected override transformValue(node: ValueNode): ValueNode {
      this.count++;
      return super.transformValue(node);
    }
    protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
      this.count += node.values.length;
      return super.transformPrimitiveValueList(node);
    }
  }
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      const counter = new Count();
      const out = counter.transformNode(node);
      max = Math.max(max, counter.count);
      return out;
    },
    transformResult: async ({ result }) => result,
  };
  return { plugin, max: () => max };
}

it(`a pass over ${PEOPLE} people succeeds and moves the cursor; no statement's parameters grow with them`, async () => {
  const db = await freshDb();
  const clock = testClock(T0);
  // Direct inserts (one statement each) so the test stays cheap: every person viewed a product once.
  const at = T0.toISOString();
  await sql`insert into cdp_people (id, traits, first_seen_at, last_seen_at, created_at, updated_at)
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${PEOPLE})
    select 'p' || i, '{}', ${at}, ${at}, ${at}, ${at} from n`.execute(db);
  await sql`insert into cdp_events (message_id, type, name, person_id, timestamp, received_at, seen_by_server)
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${PEOPLE})
    select 'm' || i, 'track', 'Product Viewed', 'p' || i, ${at}, ${at}, 1 from n`.execute(db);
  // And one shopper whose cart the pass must still pick up.
  await ingest(db, [identify('cus_ada', 'anon-ada', { email: 'ada@example.com' })], clock.now);
  clock.advance(MINUTE);
  await ingest(db, [addedToCart('anon-ada')], clock.now);

  const counter = parameterCounter();
  const result = await journeyPass(db.withPlugin(counter.plugin), {
    now: clock.now,
    liveCartStrategy: 'hold',
    appUrl: 'http://shop.test',
  });
  const top = await db
    .selectFrom('cdp_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();
  expect(result.cursor).toBe(Number(top.seq));
  expect((await db.selectFrom('journey_state').select('cursor_seq').executeTakeFirstOrThrow()).cursor_seq).toBe(
    Number(top.seq),
  );
  expect(
    (await db.selectFrom('journey_runs').select(['person_id', 'status']).where('shadow', '=', 0).execute()).map((r) => [
      r.person_id,
      r.status,
    ]),
  ).toEqual([['cus_ada', 'waiting']]);
  // Bounded by the loaders' slice size, not by the number of people.
  expect(counter.max()).toBeLessThanOrEqual(1_000);
}, 180_000);

// Tables that grow with the shop's history: a statement of every minute's pass that scans one of them costs more
// each month (the outbox holds every email's HTML).
const GROWING = ['outbox', 'journey_runs', 'cdp_events', 'cdp_people', 'cdp_identities'];

it('a pass finds runs, messages, events and people by index, never by scanning their tables (SQLite plans)', async (ctx) => {
  const db = await freshDb();
  ctx.skip(
    dialectOf(db) === 'postgres',
    "PostgreSQL plans by table statistics: on a test's few rows a scan is its best plan, so its plan shows nothing",
  );
  const clock = testClock(T0);
  const options = () => ({ now: clock.now, liveCartStrategy: 'hold' as const, appUrl: 'http://shop.test' });
  // History: a cart emailed to its person, then a new anonymous cart identified (its runs move to the person).
  const cart = { email: 'ada@example.com', cart: cleanserCart };
  await ingest(db, [identify('cus_ada', 'anon-ada', cart), addedToCart('anon-ada')], clock.now);
  await journeyPass(db, options());
  clock.advance(DAY);
  await journeyPass(db, options());
  expect(await db.selectFrom('outbox').select('id').execute()).toHaveLength(1);
  await ingest(db, [addedToCart('anon-bob')], clock.now);
  await journeyPass(db, options());
  clock.advance(MINUTE);
  await ingest(db, [identify('cus_bob', 'anon-bob', { email: 'bob@example.com', cart: cleanserCart })], clock.now);

  const statements = await plansOf(db, (d) => journeyPass(d, options()));
  expect(statements.length).toBeGreaterThan(5);
  expect(statements.flatMap((s) => scansOf(s, GROWING))).toEqual([]);
});
