import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getTimeline } from '@/lib/cdp/read/timeline';
import { call, DAY, freshDb, ingest, MINUTE, testClock } from './support';

/**
 * The identity graph's invariants, over random sequences of identify/track/page/alias calls whose ids come from
 * small pools (so calls meet: stitching, late events, merges by email and alias), ingested in random batches at
 * random intervals through the real ingest function and database:
 * - no event is on two people, and none is left on a person that no longer exists;
 * - every stitched anonymous event's id is linked to the person the event is on (a call naming a userId stays theirs);
 * - no email belongs to two people (two customers are never merged, and an identify that would share one is refused);
 * - replaying the same calls (same messageIds) changes nothing.
 * FUZZ_RUNS (default 100) and FUZZ_SEED, as in the HTTP fuzz suite (tests/fuzz).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_901);

// 'ana@example.com' is a person known only by email (rule 6): ids and that lead may auto-merge by email.
const user = fc.constantFrom('cus_1', 'cus_2', 'cus_3', 'ana@example.com');
const anon = fc.constantFrom('anon-1', 'anon-2', 'anon-3', 'anon-4');
const email = fc.option(fc.constantFrom('ana@example.com', 'bo@example.com'), { nil: undefined });

type Step =
  | { kind: 'identify'; userId: string; anonymousId?: string; email?: string }
  | { kind: 'track'; userId?: string; anonymousId: string }
  | { kind: 'page'; anonymousId: string }
  | { kind: 'alias'; previousId: string; userId: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('identify'), userId: user, anonymousId: fc.option(anon, { nil: undefined }), email }),
  fc.record({ kind: fc.constant('track'), userId: fc.option(user, { nil: undefined, freq: 3 }), anonymousId: anon }),
  fc.record({ kind: fc.constant('page'), anonymousId: anon }),
  fc.record({ kind: fc.constant('alias'), previousId: fc.oneof(anon, user), userId: user }),
) as fc.Arbitrary<Step>;

/** Calls sent together, then a pause before the next batch: inside and outside the 5-minute and 30-day windows. */
const batch = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 4 }),
  pause: fc.constantFrom(0, MINUTE, 4 * MINUTE, 6 * MINUTE, 2 * DAY, 31 * DAY),
});

/** Builds each call once, with a fixed messageId, so a replay sends exactly the same calls. */
function toCalls(batches: { steps: Step[] }[]) {
  let n = 0;
  return batches.map(({ steps }) =>
    steps.map((s) => {
      const messageId = `m-${n++}`;
      switch (s.kind) {
        case 'identify':
          return call('identify', {
            messageId,
            userId: s.userId,
            anonymousId: s.anonymousId,
            traits: { email: s.email },
          });
        case 'track':
          return call('track', { messageId, event: 'Product Viewed', userId: s.userId, anonymousId: s.anonymousId });
        case 'page':
          return call('page', { messageId, name: 'Home', anonymousId: s.anonymousId });
        case 'alias':
          return call('alias', { messageId, previousId: s.previousId, userId: s.userId });
      }
    }),
  );
}

/** Everything the identity graph decides; the sighting counters of a repeat are left out (they must change). */
async function graph(db: DB) {
  const [people, identities, merges, events] = await Promise.all([
    db.selectFrom('cdp_people').selectAll().orderBy('id').execute(),
    db.selectFrom('cdp_identities').selectAll().orderBy('anonymous_id').execute(),
    db.selectFrom('cdp_merges').selectAll().orderBy('id').execute(),
    db
      .selectFrom('cdp_events')
      .select(['seq', 'message_id', 'anonymous_id', 'user_id', 'person_id', 'stitched', 'attached_at'])
      .orderBy('seq')
      .execute(),
  ]);
  return { people, identities, merges, events };
}

async function expectInvariants(db: DB) {
  const { people, identities, events } = await graph(db);
  const ids = new Set(people.map((p) => p.id));

  // No event on two people: the people's timelines together hold each attached event exactly once.
  const onTimelines = (await Promise.all(people.map((p) => getTimeline(db, p.id)))).flat().map((e) => e.seq);
  const attached = events.filter((e) => e.person_id !== null);
  expect(onTimelines.toSorted((a, b) => a - b)).toEqual(attached.map((e) => e.seq));
  expect(
    attached.filter((e) => !ids.has(e.person_id!)),
    'events on a person who no longer exists',
  ).toEqual([]);

  // Every stitched anonymous event's id is linked to its person (a browser call naming a userId stays with them).
  const linkedTo = new Map(identities.map((i) => [i.anonymous_id, i.person_id]));
  const unlinked = events.filter(
    (e) => e.stitched === 1 && e.user_id === null && linkedTo.get(e.anonymous_id!) !== e.person_id,
  );
  expect(unlinked, 'stitched events whose anonymous id is not linked to their person').toEqual([]);

  const emails = people.map((p) => p.email).filter((e) => e !== null);
  expect(emails.toSorted(), 'an email on two people').toEqual([...new Set(emails)].toSorted());
}

/** Empties the identity graph between runs: much cheaper than a new database (and its migrations) per run. */
async function clear(db: DB) {
  for (const table of ['cdp_events', 'cdp_identities', 'cdp_merges', 'cdp_people'] as const) {
    await db.deleteFrom(table).execute();
  }
}

describe('identity stitching invariants (property-based)', () => {
  let db: DB;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(() => db.destroy());

  it(
    'hold after any sequence of calls, and a replay of the same calls changes nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), async (batches) => {
          await clear(db);
          const clock = testClock();
          const calls = toCalls(batches);
          for (const [i, sent] of calls.entries()) {
            await ingest(db, sent, clock.now);
            clock.advance(batches[i]!.pause);
          }
          await expectInvariants(db);

          const before = await graph(db);
          clock.advance(MINUTE);
          for (const sent of calls) await ingest(db, sent, clock.now);
          expect(await graph(db)).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    30_000 + RUNS * 1_000,
  );
});
