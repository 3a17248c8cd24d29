import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { builtInSegments, evaluateCondition, type Condition } from '@/lib/cdp/engine/segments';
import { checkedConditionSchema } from '@/lib/cdp/engine/segments/schema';
import { loadPersonProfiles } from '@/lib/cdp/store/profile-loader';
import { membershipPredicate } from '@/lib/cdp/read/segment-sql';
import { freshDb } from '../cdp/support';

/**
 * Segments evaluated in SQL (lib/cdp/read/segment-sql.ts) must mean what the pure evaluator means: on random
 * small datasets written as the pipeline stores them (stitched events attached later than they happened, drifted
 * names, unverified identifies, identifies refused for another person's email or brought by a merge, events exactly on a window's edge or in the future, ties on timestamp), the
 * members found by the database equal the people the engine passes, for the built-in segments and for random
 * conditions. A storage suite: it runs on SQLite and PostgreSQL. FUZZ_RUNS / FUZZ_SEED as in tests/fuzz.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);

const NOW = new Date('2026-06-01T12:00:00.000Z');
const H = 3_600_000;
const PEOPLE = ['cus_1', 'cus_2', 'cus_3', 'cus_4'];
const EVENTS = ['Added to Cart', 'Order Completed', 'Product Viewed'];

// Offsets from NOW around every window the conditions use: 4 h and 24 h (± 1 ms), now itself, the future.
const offset = fc.constantFrom(0, -1, 1, -4 * H, -4 * H - 1, -4 * H + 1, -24 * H, -24 * H - 1, -2 * H, -30 * H, H);
const time = offset.map((ms) => new Date(NOW.getTime() + ms).toISOString());
const value = fc.constantFrom<unknown>(0, 10, 50, 50.5, '50', '', null, true, false, undefined);

const eventRow = fc.record({
  type: fc.constantFrom('track', 'track', 'track', 'identify', 'page'),
  name: fc.constantFrom(...EVENTS, 'add_to_cart'),
  person: fc.option(fc.constantFrom(...PEOPLE), { nil: null, freq: 6 }),
  timestamp: time,
  // Stitched: attached when an identify claimed it, often after it happened (and after now: not yet visible).
  attachedAt: fc.option(
    fc.oneof(
      time,
      fc.constantFrom(1, H).map((ms) => new Date(NOW.getTime() + ms).toISOString()),
    ),
    { nil: null },
  ),
  cartValue: value,
  email: fc.constantFrom<unknown>('a@example.com', '', null, undefined),
  identityCheck: fc.constantFrom<'server' | 'signed' | 'unverified' | null>('server', 'signed', 'unverified', null),
  // An identify refused for another person's email (rule 6: none of its traits apply) or an anonymous one whose
  // email was not carried (the rest was).
  conflict: fc.constantFrom<'refused' | 'not_carried' | null>(null, null, 'refused', 'not_carried'),
  // Brought by a merge (merged_from): its traits fill only what the person had unset.
  inherited: fc.boolean(),
});
type EventRow = typeof eventRow extends fc.Arbitrary<infer T> ? T : never;

const personRow = fc.record({
  email: fc.option(fc.constantFrom('p@example.com', ''), { nil: null }),
  traitEmail: fc.constantFrom<unknown>('t@example.com', '', null, undefined),
});

const within = fc.option(fc.constantFrom('4h', '24h', '30m'), { nil: undefined });
const where = fc.option(
  fc.array(
    fc.oneof(
      fc.constant({ path: 'cart_value', op: 'exists' as const }),
      fc.record({
        path: fc.constant('cart_value'),
        op: fc.constant('eq' as const),
        value: fc.constantFrom(50, '50', true, null),
      }),
      fc.record({
        path: fc.constant('cart_value'),
        op: fc.constantFrom('gte' as const, 'lte' as const),
        value: fc.constantFrom(10, 50),
      }),
    ),
    { maxLength: 2 },
  ),
  { nil: undefined },
);
const eventName = fc.constantFrom(...EVENTS);

/** A leaf, or "did X (maybe counted) and not Y since", the abandonment shape whose anchor SQL must find. */
const leaf: fc.Arbitrary<Condition[]> = fc.oneof<fc.Arbitrary<Condition[]>[]>(
  fc
    .record({ event: eventName, within, where, gte: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) })
    .map(({ gte, ...c }) => [{ kind: 'performed', ...c, ...(gte ? { count: { gte } } : {}) }] as Condition[]),
  fc.record({ event: eventName, within, where }).map((c) => [{ kind: 'notPerformed', ...c }] as Condition[]),
  fc.constantFrom('email', 'name').map((trait) => [{ kind: 'hasAttribute', trait }] as Condition[]),
  fc.record({ first: eventName, within, gte: fc.constantFrom(1, 2), unless: eventName, unlessWhere: where }).map(
    ({ first, within: w, gte, unless, unlessWhere }) =>
      [
        { kind: 'performed', id: 'anchor', event: first, within: w, count: { gte } },
        { kind: 'notPerformed', event: unless, since: 'condition:anchor', where: unlessWhere },
      ] as Condition[],
  ),
);

const condition: fc.Arbitrary<Condition> = fc
  .record({ kind: fc.constantFrom('all', 'any'), parts: fc.array(leaf, { minLength: 1, maxLength: 3 }) })
  .map(({ kind, parts }) => {
    // One `anchor` id per tree: later abandonment shapes get their own id, each `since` its own anchor.
    let n = 0;
    const conditions = parts.flatMap((shape) => {
      if (!shape.some((c) => c.kind === 'performed' && c.id)) return shape;
      const id = `anchor${n++}`;
      return shape.map((c) =>
        c.kind === 'performed'
          ? { ...c, id }
          : c.kind === 'notPerformed'
            ? { ...c, since: `condition:${id}` as const }
            : c,
      );
    });
    return { kind, conditions } as Condition;
  })
  .filter((c) => checkedConditionSchema.safeParse(c).success);

let db: DB;

async function store(people: { email: string | null; traitEmail: unknown }[], events: EventRow[]) {
  await db.deleteFrom('cdp_events').execute();
  await db.deleteFrom('cdp_people').execute();
  const at = NOW.toISOString();
  await db
    .insertInto('cdp_people')
    .values(
      people.map((p, i) => ({
        id: PEOPLE[i]!,
        email: p.email,
        traits: JSON.stringify(p.traitEmail === undefined ? {} : { email: p.traitEmail }),
        first_seen_at: at,
        last_seen_at: at,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
  if (!events.length) return;
  await db
    .insertInto('cdp_events')
    .values(
      events.map((e, i) => {
        const identify = e.type === 'identify';
        const drifted = e.name === 'add_to_cart';
        const person = e.person && PEOPLE.indexOf(e.person) < people.length ? e.person : null;
        return {
          message_id: `m-${i}`,
          type: e.type,
          name: identify ? null : e.name,
          canonical_name: identify ? null : drifted ? 'Added to Cart' : e.type === 'track' ? e.name : null,
          anonymous_id: 'anon',
          person_id: person,
          timestamp: e.timestamp,
          received_at: e.timestamp,
          stitched: person && e.attachedAt ? 1 : 0,
          attached_at: person ? (e.attachedAt ?? e.timestamp) : null,
          properties: JSON.stringify(e.cartValue === undefined || identify ? {} : { cart_value: e.cartValue }),
          traits: JSON.stringify(identify && e.email !== undefined ? { email: e.email, name: 'N' } : {}),
          identity_check: identify ? e.identityCheck : null,
          user_id: identify && e.conflict !== 'not_carried' ? person : null,
          merged_from: identify && person && e.inherited ? 'cus_merged' : null,
          seen_by_client: 0,
          seen_by_server: 1,
          seen_count: 1,
          context: '{}',
          violations:
            identify && e.conflict
              ? JSON.stringify([{ kind: 'identity_conflict', path: 'traits.email', message: 'held by another' }])
              : '[]',
        };
      }),
    )
    .execute();
}

async function sqlMembers(c: Condition): Promise<string[]> {
  const rows = await db
    .selectFrom('cdp_people as p')
    .select('p.id')
    .where(membershipPredicate(db, c, NOW))
    .orderBy('p.id')
    .execute();
  return rows.map((r) => r.id);
}

async function engineMembers(c: Condition): Promise<string[]> {
  const profiles = await loadPersonProfiles(db, PEOPLE);
  return profiles
    .filter((p) => evaluateCondition(c, p, { now: NOW }).passed)
    .map((p) => p.profileId)
    .sort();
}

it('SQL membership equals the engine’s, for the built-in segments and random conditions', async () => {
  db = await freshDb();
  let members = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(personRow, { minLength: 1, maxLength: PEOPLE.length }),
      fc.array(eventRow, { maxLength: 20 }),
      condition,
      async (people, events, random) => {
        await store(people, events);
        for (const c of [...builtInSegments.map((s) => s.condition), random]) {
          const expected = await engineMembers(c);
          expect(await sqlMembers(c), JSON.stringify(c)).toEqual(expected);
          members += expected.length;
        }
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  // The datasets must put people in segments, or equal empty answers would prove nothing.
  expect(members).toBeGreaterThan(RUNS / 4);
});
