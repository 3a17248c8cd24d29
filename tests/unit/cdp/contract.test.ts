import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import {
  anonymousResponse,
  anonymousVisitorsResponse,
  journeyRunsResponse,
  journeysResponse,
  outboxResponse,
  peopleResponse,
  personResponse,
  qualityResponse,
  segmentResponse,
  segmentsResponse,
  timelineResponse,
} from '@/lib/cdp/ops/contract';
import { recentRuns, journeySummaries } from '@/lib/cdp/read/journey-report';
import { listOutbox } from '@/lib/cdp/read/outbox';
import { getPerson, listPeople } from '@/lib/cdp/read/people';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { listSegments, segmentMembers } from '@/lib/cdp/read/segment-membership';
import { listAnonymousVisitors } from '@/lib/cdp/read/anonymous-visitors';
import { getAnonymousActivity, timelinePage } from '@/lib/cdp/read/timeline';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock, track } from './support';

// The read models behind /api/ops answer exactly the published contract (strict schemas: no field missing,
// none extra), on a pipeline with a stitched person, an anonymous visitor, journey runs and a sent email.
const HOUR = 60 * MINUTE;
let db: DB;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
  await ingest(db, [addedToCart('a1'), track('add_to_cart', { anonymousId: 'a2' })], clock.now);
  clock.advance(HOUR);
  await ingest(
    db,
    [identify('cus_ada', 'a1', { email: 'ada@example.com', first_name: 'Ada', cart: cleanserCart })],
    clock.now,
  );
  await pass();
  clock.advance(HOUR);
  await pass();
});

describe('the ops API read models match lib/cdp/ops/contract.ts', () => {
  it('people, a person and their stitched timeline', async () => {
    const page = await listPeople(db);
    const people = peopleResponse.parse({ people: page.items, next_cursor: page.next_cursor }).people;
    expect(people.map((p) => p.id)).toEqual(['cus_ada']);
    const person = personResponse.parse({ person: await getPerson(db, 'cus_ada') }).person;
    expect(person.anonymous_ids).toEqual(['a1']);
    const timeline = await timelinePage(db, 'cus_ada', { limit: 10 });
    const { events } = timelineResponse.parse({
      person_id: 'cus_ada',
      events: timeline.items,
      next_cursor: timeline.next_cursor,
    });
    expect(events.map((e) => [e.name ?? e.type, e.stitched])).toEqual([
      ['Added to Cart', true],
      ['identify', false],
    ]);
  });

  it('an anonymous visitor, with the violations of a drifted name', async () => {
    const { events } = anonymousResponse.parse(await getAnonymousActivity(db, 'a2'));
    expect(events[0]?.violations.map((v) => v.kind)).toEqual(['drifted_name']);
    const page = await listAnonymousVisitors(db);
    const { visitors } = anonymousVisitorsResponse.parse({ visitors: page.items, next_cursor: page.next_cursor });
    expect(visitors).toMatchObject([{ anonymous_id: 'a2', person_id: null, event_count: 1 }]);
    const { events: rows } = qualityResponse.parse({ events: await qualityReport(db) });
    expect(rows.find((r) => r.name === 'add_to_cart')?.violations).toEqual({ drifted_name: 1 });
  });

  it('segments and their members', async () => {
    const { segments } = segmentsResponse.parse({ segments: await listSegments(db, clock.now) });
    expect(segments.find((s) => s.id === 'cart-abandoners')?.member_count).toBe(1);
    const found = segmentResponse.parse(await segmentMembers(db, 'cart-abandoners', clock.now));
    expect(found.members).toEqual([{ person_id: 'cus_ada', email: 'ada@example.com' }]);
  });

  it('journeys, runs and the outbox', async () => {
    const { journeys } = journeysResponse.parse({
      live_cart_strategy: 'lookback',
      journeys: await journeySummaries(db, 'lookback'),
    });
    expect(journeys.find((j) => j.id === 'cart-recovery-lookback')).toMatchObject({ mode: 'live', sent: 1 });
    const runPage = await recentRuns(db, { profileId: 'cus_ada' });
    const { runs } = journeyRunsResponse.parse({ runs: runPage.items, next_cursor: runPage.next_cursor });
    expect(runs.find((r) => r.journey_id === 'cart-recovery-lookback')).toMatchObject({ status: 'sent' });
    const outbox = await listOutbox(db);
    const { messages } = outboxResponse.parse({ messages: outbox.items, next_cursor: outbox.next_cursor });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: 'ada@example.com', journey_id: 'cart-recovery-lookback' });
  });
});
