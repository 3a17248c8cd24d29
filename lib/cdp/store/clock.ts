import 'server-only';
import type { DB } from '@/lib/db';
import { readManualClock } from '@/lib/db/manual-clock';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/common/http';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '@/lib/db/unavailable';

/**
 * The pipeline clock. `system` is wall time; `manual` (CDP_CLOCK=manual, for tests and demos) jumps through
 * `advanceClock`/`setClock` and otherwise runs at wall speed from the last jump. It is not frozen on purpose:
 * with a frozen clock every event of a visit lands on one instant and their order comes down to network
 * latency. Manual time lives in the database so it survives a restart and is shared by every request.
 */
export async function now(db: DB): Promise<Date> {
  if (env().CDP_CLOCK !== 'manual') return new Date();
  const at = (await readManualClock(db))?.now ?? (await setClock(db, new Date()));
  lastReading = { at: at.getTime(), wall: Date.now() };
  return at;
}

let lastReading: { at: number; wall: number } | undefined;

/**
 * The time a request is received: now(), or while the database is not answering (the ingest then spools the
 * request, lib/cdp/runtime/spool-drain.ts) a manual clock's last reading run on at wall speed, as it runs itself.
 * `db` is null when the database has not opened yet (it was not answering when this process started).
 */
export async function receiveTime(db: DB | null): Promise<Date> {
  try {
    if (db) return await now(db);
    if (env().CDP_CLOCK !== 'manual') return new Date();
    throw new DatabaseUnavailableError('The database has not opened yet: the manual clock cannot be read');
  } catch (error) {
    if (!lastReading || !isDatabaseUnavailable(error)) throw error;
    return new Date(lastReading.at + (Date.now() - lastReading.wall));
  }
}

// Times are stored as ISO text and compared as text, which holds only for four-digit years. The clock runs on from
// where it is set, and the pipeline stamps times up to 30 days either side of it (lookbacks, purges, restore links,
// holds): a millennium of margin at each end keeps every one of them four digits long.
const EARLIEST = Date.parse('1000-01-01T00:00:00.000Z');
const LATEST = Date.parse('8999-12-31T23:59:59.999Z');

/** Moves a manual clock; a target outside years 1000–8999 (e.g. `{ advance: "9999999999d" }`) is a 400. */
export async function setClock(db: DB, at: Date): Promise<Date> {
  const ms = at.getTime();
  if (!(ms >= EARLIEST && ms <= LATEST))
    throw new HttpError(400, 'The clock can only move to a date between the years 1000 and 8999');
  const value = { now: at.toISOString(), wall_at: new Date().toISOString() };
  await db
    .insertInto('cdp_clock')
    .values({ id: 1, ...value })
    .onConflict((oc) => oc.column('id').doUpdateSet(value))
    .execute();
  return new Date(value.now);
}

/**
 * Moves a manual clock to `at` through the ops API: forward only, unless `rewind`. Everything the pipeline
 * stamped meanwhile (events' received_at, journey steps already run, their due times, restore links in messages)
 * would lie in the future of a clock moved back, so a mistyped date would quietly leave journeys waiting for
 * times that already passed; moving back has to be asked for by name. A time the clock has passed only since its
 * last move (the same `set` sent to every instance, the second a moment after the first) leaves it where it is.
 */
export async function moveClockTo(db: DB, at: Date, { rewind = false }: { rewind?: boolean } = {}): Promise<Date> {
  const clock = await readManualClock(db);
  const current = clock?.now ?? (await now(db));
  if (rewind || at.getTime() >= current.getTime()) return setClock(db, at);
  if (clock && at.getTime() >= clock.movedTo.getTime()) return current;
  throw new HttpError(
    400,
    `The clock only moves forward: ${at.toISOString()} is before its last move, to ${clock?.movedTo.toISOString()}. ` +
      'Send "rewind": true with "set" to move it back anyway (what was stamped later stays later).',
  );
}

export async function advanceClock(db: DB, ms: number): Promise<Date> {
  const current = await now(db);
  return setClock(db, new Date(current.getTime() + ms));
}
