import 'server-only';
import { getDb, type DB } from '@/lib/db';
import { env } from '@/lib/env';
import { DatabaseUnavailableError, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';
import { asBackgroundWork, isShutdownError, isStopping } from '@/lib/common/background-work';
import { processState } from '@/lib/common/process-state';
import { forwardTarget, kickForwarder } from '@/lib/cdp/forward/deliver';
import { storeVerifiedCalls, type IngestResult, type StoreCallsOptions } from '@/lib/cdp/ingest/handle';
import { instanceSpool, spoolEntrySchema, spoolLine, type SpoolFile } from '@/lib/cdp/ingest/spool';
import type { VerifiedCall } from '@/lib/cdp/ingest/verify-identity';
import { forgetSpoolEntry } from '@/lib/cdp/store/spool-ledger';

/** The answer to a request kept in the spool: nothing stored yet, `spooled` calls to be stored once the database answers. */
export type DurableResult = IngestResult & { spooled?: number };

/**
 * Stores a request's verified calls; when the database is not answering, appends the request to this instance's
 * spool (ingest/spool.ts) instead and answers as accepted: the browser SDK treats any answer as delivered, so a 503
 * lost its calls for good. Strict requests are not spooled (their answer says what was refused, which only storing
 * tells), nor any once the spool is full (CDP_SPOOL_MAX_BYTES): those still get the 503 with Retry-After.
 */
export async function storeDurably(
  db: DB | null,
  calls: readonly VerifiedCall[],
  opts: StoreCallsOptions,
  spoolFile?: SpoolFile,
): Promise<DurableResult> {
  try {
    // null: the database has not opened yet (it was not answering when the server started).
    if (!db) throw new DatabaseUnavailableError('The database has not opened yet');
    const result = await storeVerifiedCalls(db, calls, opts);
    spoolAfterStore();
    return result;
  } catch (error) {
    if (!isDatabaseUnavailable(error) || opts.strict) throw error;
    const spool = await keepInSpool(calls, opts, spoolFile);
    if (!spool) throw error;
    console.error('[db] a request met the database not answering; kept in the ingest spool:', (error as Error).message);
    kickSpoolDrainer(spool);
    return { stored: 0, duplicates: 0, forwarded: 0, rejected: opts.rejected?.length ?? 0, spooled: calls.length };
  }
}

/** The spool that kept the request, or null (off, full, or not writable: said in the log) for the 503 as before. */
async function keepInSpool(calls: readonly VerifiedCall[], opts: StoreCallsOptions, spoolFile?: SpoolFile) {
  try {
    // Found only here: the default's folder is made on the way (a system call the ingest's hot path need not pay).
    const spool = spoolFile ?? instanceSpool();
    if (!spool.maxBytes) return null;
    if (await spool.append(spoolLine(calls, opts))) return spool;
    console.error(`[cdp] the ingest spool is full (CDP_SPOOL_MAX_BYTES=${spool.maxBytes}): answering 503`);
  } catch (spoolError) {
    console.error('[cdp] the ingest spool could not keep a request: answering 503', spoolError);
  }
  return null;
}

/** A line that fails for a reason other than the database is tried this often in one drain, then dead-lettered. */
export const MAX_LINE_ATTEMPTS = 3;

/** `drained`: lines stored; `dead`: set aside; `left`: lines still waiting (the database, or a stopping server). */
export type DrainReport = { drained: number; dead: number; left: boolean };

/**
 * Stores the spool's lines in order, through the ingest's own transaction, each line's checkpoint written once its
 * transaction committed. A crash between the two finds the line again on the next drain, whose transaction finds
 * the line's id noted by the first (store/spool-ledger.ts) and stores nothing; and a call that reached the pipeline
 * on another way too (a resend, the server's mirror) is one event, as always (one per messageId).
 * The database not answering stops the drain (the lines wait for the next); a line that cannot be read, or fails
 * MAX_LINE_ATTEMPTS times for another reason, is dead-lettered with that reason and the drain goes on.
 */
export async function drainSpool(db: DB, spool: SpoolFile): Promise<DrainReport> {
  const report: DrainReport = { drained: 0, dead: 0, left: false };
  while (await spool.take()) {
    for (const line of await spool.pending()) {
      if (isStopping()) return { ...report, left: true };
      const outcome = line.torn
        ? 'cut short by a crash while it was written (it was never acknowledged)'
        : await storeLine(db, line.text);
      if (outcome === 'unavailable') return { ...report, left: true };
      if (typeof outcome === 'object') report.drained++;
      else {
        console.error(`[cdp] an ingest spool line was set aside in ${spool.dead}: ${outcome}`);
        await spool.deadLetter(line.text, outcome);
        report.dead++;
      }
      await spool.commit(line.end);
      // Best effort: a note left behind is deleted by a later drain (store/spool-ledger.ts).
      if (typeof outcome === 'object') await forgetSpoolEntry(db, outcome.stored).catch(() => undefined);
    }
    await spool.finish();
  }
  return report;
}

/** `{ stored }` (the line's id), 'unavailable', or why the line cannot be stored. */
async function storeLine(db: DB, text: string): Promise<{ stored: string } | string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const parsed = spoolEntrySchema.safeParse(json);
  if (!parsed.success) return `not a spooled request: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
  const { calls, rejected, id, ...entry } = parsed.data;
  let failure = '';
  for (let attempt = 1; attempt <= MAX_LINE_ATTEMPTS; attempt++) {
    try {
      const result = await storeVerifiedCalls(db, calls, {
        ...entry,
        rejected,
        spoolEntryId: id,
        // Where calls go is this instance's set-up now: a destination removed meanwhile is not written to.
        local: env().CDP_LOCAL === 'on',
        forward: forwardTarget() !== null,
      });
      if (result.forwarded) kickForwarder(db);
      return { stored: id };
    } catch (error) {
      // Not the line's fault: the database, or a stopping server closing it under the drain. The line waits.
      if (isDatabaseUnavailable(error) || isStopping() || isClosedHandle(error)) return 'unavailable';
      failure = `failed ${MAX_LINE_ATTEMPTS} times: ${(error as Error).message}`;
    }
  }
  return failure;
}

/** Kysely's error for a query on a handle already destroyed (closeDb at shutdown; a test's database reset). */
const isClosedHandle = (error: unknown) => /driver has already been destroyed/.test((error as Error)?.message ?? '');

/**
 * `running`: the drain in progress; `again`: kicked during it, so another follows; `timer`: the retry's; `pending`:
 * the spool whose lines wait (the last drain left some, or one was spooled since); `waits`: drains in a row the
 * database did not answer, for the backoff between them.
 */
type Drainer = {
  running: Promise<unknown> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
  pending: SpoolFile | null;
  waits: number;
};
const state = processState<{ __spoolDrainer: Drainer }>({
  __spoolDrainer: (drainer) => drainer.timer && clearTimeout(drainer.timer),
});

/** The longest wait between drains while the database does not answer. */
const MAX_RETRY_MS = 60_000;

/**
 * Starts a drain of `spool` as background work (a stopping server waits for it; it stops between lines, and what
 * is left stays in the file for the next start). While lines wait for the database it tries again after
 * RETRY_AFTER_SECONDS, doubling to a minute (a drain meeting SQLite locked holds the event loop for its busy
 * timeout), and at once when a request is stored (spoolAfterStore); a kick during a drain runs another after it.
 */
export function kickSpoolDrainer(spool: SpoolFile = instanceSpool()): void {
  const drainer = drainerState();
  drainer.pending = spool;
  if (drainer.running) drainer.again = true;
  else startDrain(spool).catch(() => undefined);
}

/** A request was just stored, so the database answers: lines waiting in the spool are drained now. */
function spoolAfterStore(): void {
  const drainer = state.__spoolDrainer;
  if (drainer?.pending && !drainer.running && !isStopping()) kickSpoolDrainer(drainer.pending);
}

/** A drain of `spool` now, after the one running (one at a time per process), with its report. */
export async function drainSpoolNow(spool: SpoolFile = instanceSpool()): Promise<DrainReport> {
  const drainer = drainerState();
  while (drainer.running) await drainer.running.catch(() => undefined);
  return startDrain(spool);
}

const drainerState = () =>
  (state.__spoolDrainer ??= { running: null, again: false, timer: null, pending: null, waits: 0 });

function startDrain(spool: SpoolFile): Promise<DrainReport> {
  const drainer = drainerState();
  if (drainer.timer) clearTimeout(drainer.timer);
  drainer.timer = null;
  drainer.again = false;
  const run = asBackgroundWork(async () => drainSpool(await getDb(), spool));
  drainer.running = run;
  const retry = () => {
    drainer.waits++;
    const ms = Math.min(MAX_RETRY_MS, RETRY_AFTER_SECONDS * 1000 * 2 ** (drainer.waits - 1));
    // Only while this is still the process's drainer (a reset process state starts anew: a test's next file).
    drainer.timer = setTimeout(() => state.__spoolDrainer === drainer && kickSpoolDrainer(spool), ms);
    drainer.timer.unref();
  };
  void run
    .then(
      (report) => {
        if (report.drained) console.log(`[cdp] stored ${report.drained} request(s) kept in the ingest spool`);
        if (report.dead) console.error(`[cdp] ${report.dead} ingest spool line(s) set aside in ${spool.dead}`);
        if (report.left) return retry();
        drainer.waits = 0;
        if (!drainer.again) drainer.pending = null;
      },
      (error: unknown) => {
        if (isShutdownError(error)) return;
        if (!isDatabaseUnavailable(error)) console.error('[cdp] draining the ingest spool failed', error);
        retry();
      },
    )
    .finally(() => {
      drainer.running = null;
      if (drainer.again && !isStopping()) kickSpoolDrainer(spool);
    });
  return run;
}
