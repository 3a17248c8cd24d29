import 'server-only';
import type { DB } from '@/lib/db';
import { forwardTarget, kickForwarder } from '@/lib/cdp/forward/deliver';
import { forwardQueueState } from '@/lib/cdp/read/forward-queue';
import { replayDeadForwards } from '@/lib/cdp/store/forward-queue';
import { instanceSpool } from '@/lib/cdp/ingest/spool';

/** The forward queue as the console and GET /api/ops/forwarding show it. */
export const forwardingState = (db: DB, limit?: number) =>
  forwardQueueState(db, { target: forwardTarget()?.url ?? null, limit });

/**
 * Queues dead-lettered rows again (all, or `ids`: all or none, replayDeadRows), each with a fresh day of retries,
 * and starts a pass at once.
 */
export async function replayDeadLetters(db: DB, ids?: number[]) {
  const outcome = await replayDeadForwards(db, Date.now(), ids);
  if ('replayed' in outcome && outcome.replayed) kickForwarder(db);
  return outcome;
}

/**
 * This instance's ingest spool as the console shows it: bytes of requests waiting for the database (0 once drained),
 * bytes of lines set aside, and where (lib/cdp/ingest/spool.ts). `maxBytes` 0: the spool is off.
 */
export async function ingestSpoolState() {
  const spool = instanceSpool();
  const [waitingBytes, setAsideBytes] = await Promise.all([spool.size(), spool.setAsideSize()]);
  return { waitingBytes, setAsideBytes, maxBytes: spool.maxBytes, file: spool.active, setAsideFile: spool.dead };
}

export type IngestSpoolState = Awaited<ReturnType<typeof ingestSpoolState>>;
