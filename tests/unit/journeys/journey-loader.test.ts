import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { builtInJourneys } from '@/lib/cdp/engine/journeys/builtins';
import { journeyWindows } from '@/lib/cdp/engine/journeys/window';
import {
  cappedStart,
  countWindows,
  loadWindowedProfiles,
  MAX_TRACKS_PER_PROFILE,
  scanNewEvents,
} from '@/lib/cdp/store/journey-loader';
import { addedToCart, DAY, freshDb, identify, ingest, MINUTE, T0, track } from '../cdp/support';

// A journey pass reads a bounded slice of each profile: the new events a chunk at a time, and at most
// MAX_TRACKS_PER_PROFILE journey-relevant tracks per window, whatever the history (a bot's 100k cart adds).
let db: DB;
const windows = journeyWindows(builtInJourneys);
const at = (i: number) => new Date(T0.getTime() + i * 1_000).toISOString();
// Received after every event happened (a timestamp ahead of its receipt would be clamped to it).
const RECEIVED = new Date(T0.getTime() + DAY);

beforeEach(async () => {
  db = await freshDb();
});

async function ingestInBatches(calls: Parameters<typeof ingest>[1]) {
  for (let i = 0; i < calls.length; i += 200) await ingest(db, calls.slice(i, i + 200), RECEIVED);
}

it('a profile over the cap is judged on its latest relevant tracks only; others on their whole window', async () => {
  const over = MAX_TRACKS_PER_PROFILE + 200;
  await ingest(db, [identify('cus_bot', 'anon-bot', { email: 'bot@example.com' })], T0);
  await ingest(db, [identify('cus_ada', 'anon-ada', { email: 'ada@example.com' })], T0);
  // Page-like tracks no journey reads, between the relevant ones: they never count toward the cap.
  await ingestInBatches(
    Array.from({ length: over }, (_, i) => [
      { ...addedToCart('anon-bot'), userId: 'cus_bot', timestamp: at(2 * i) },
      track('Newsletter Opened', { userId: 'cus_bot', timestamp: at(2 * i + 1) }),
    ]).flat(),
  );
  await ingest(db, [{ ...addedToCart('anon-ada'), userId: 'cus_ada', timestamp: at(5) }], RECEIVED);

  const list = [
    { id: 'cus_bot', from: at(0) },
    { id: 'cus_ada', from: at(0) },
  ];
  const counts = await countWindows(db, 'person', list, windows);
  expect(Object.fromEntries(counts)).toEqual({ cus_bot: MAX_TRACKS_PER_PROFILE + 1, cus_ada: 1 });

  // The cap-th latest cart add: the bot's adds were at every other second.
  const from = await cappedStart(db, 'person', list[0]!, windows);
  expect(from).toBe(at(2 * (over - MAX_TRACKS_PER_PROFILE)));

  const profiles = await loadWindowedProfiles(db, 'person', [{ id: 'cus_bot', from }, list[1]!], windows);
  const bot = profiles.find((p) => p.profileId === 'cus_bot')!;
  const tracks = bot.events.filter((e) => e.type === 'track');
  expect(tracks).toHaveLength(MAX_TRACKS_PER_PROFILE);
  expect(tracks.every((e) => e.name === 'Added to Cart')).toBe(true);
  expect(bot.events.filter((e) => e.type === 'identify')).toHaveLength(1);
  const ada = profiles.find((p) => p.profileId === 'cus_ada')!;
  expect(ada.events.map((e) => e.type).sort()).toEqual(['identify', 'track']);
});

it('the new events are read a bounded chunk at a time: changed profiles and where their windows start', async () => {
  await ingest(db, [identify('cus_ada', 'anon-ada', { email: 'ada@example.com' })], T0);
  const [first] = await db.selectFrom('cdp_events').select('seq').execute();
  // Linked later: its new events stay anonymous and start nothing as an anonymous profile.
  await ingest(db, [identify('cus_bea', 'anon-bea', { email: 'bea@example.com' })], T0);
  await ingestInBatches([
    ...Array.from({ length: 2_500 }, (_, i) => ({
      ...addedToCart('anon-ada'),
      userId: 'cus_ada',
      timestamp: at(100 + i),
    })),
    { ...addedToCart('anon-guest'), timestamp: at(50) },
    { ...addedToCart('anon-bea'), timestamp: new Date(T0.getTime() + 10 * MINUTE).toISOString() },
  ]);
  const top = await db
    .selectFrom('cdp_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();

  let pauses = 0;
  const fresh = await scanNewEvents(db, { cursor: first!.seq, top: Number(top.seq), now: RECEIVED }, async () => {
    pauses++;
  });
  // 2,503 new events: more than one chunk, each followed by a pause (the pass's yield to the event loop).
  expect(pauses).toBeGreaterThan(1);
  expect(Object.fromEntries(fresh.person)).toEqual({
    cus_ada: { track: at(100) },
    cus_bea: { identify: expect.any(String) },
  });
  expect([...fresh.anonymous.keys()]).toEqual(['anon-guest']);
  expect(fresh.anonymous.get('anon-guest')).toEqual({ track: at(50) });
  // Everything was received by then: the cursor may pass it all.
  expect(fresh.receivedAfter).toBeNull();
  // Read as of a moment before the adds arrived: the first of them (after Bea's identify) is where the cursor stops.
  const early = await scanNewEvents(db, { cursor: first!.seq, top: Number(top.seq), now: T0 }, async () => {});
  expect(early.receivedAfter).toBe(first!.seq + 2);
});

// A slice's windows travel as one JSON parameter joined on the events: each profile must get its own window's
// events, never a neighbour's, and a window for nobody loads nobody. More windows than a pass's slice (400).
it("each profile of a large slice is loaded with its own window's tracks, its identifies and its email", async () => {
  const people = 450;
  const id = (i: number) => `cus_${i}`;
  // Person i viewed a product at 10i s and 10i + 5 s; even people's windows start at the first view, odd people's
  // a second after it, so a window read for the wrong person shows up as one view too many or too few.
  await ingestInBatches(
    Array.from({ length: people }, (_, i) => [
      identify(id(i), `anon-${i}`, { email: `p${i}@example.com` }),
      track('Product Viewed', { userId: id(i), timestamp: at(10 * i) }),
      track('Product Viewed', { userId: id(i), timestamp: at(10 * i + 5) }),
      track('Newsletter Opened', { userId: id(i), timestamp: at(10 * i + 6) }),
    ]).flat(),
  );
  const list = [
    ...Array.from({ length: people }, (_, i) => ({ id: id(i), from: at(10 * i + (i % 2)) })),
    { id: 'cus_nobody', from: at(0) },
  ];

  const counts = await countWindows(db, 'person', list, windows);
  const profiles = await loadWindowedProfiles(db, 'person', list, windows);

  expect(profiles.map((p) => p.profileId).sort()).toEqual(Array.from({ length: people }, (_, i) => id(i)).sort());
  for (const p of profiles) {
    const i = Number(p.profileId.slice('cus_'.length));
    const views = p.events.filter((e) => e.type === 'track').map((e) => e.timestamp.toISOString());
    expect(views.sort()).toEqual(i % 2 ? [at(10 * i + 5)] : [at(10 * i), at(10 * i + 5)]);
    expect(counts.get(p.profileId)).toBe(views.length);
    expect(p.events.filter((e) => e.type === 'identify').map((e) => e.properties.email)).toEqual([`p${i}@example.com`]);
    expect(p.email).toBe(`p${i}@example.com`);
  }
  expect(counts.get('cus_nobody')).toBe(0);
});
