import 'server-only';
import type { DB } from '@/lib/db';
import { skipLockedRows } from '@/lib/db/dialect';
import { MINUTE, SECOND } from '@/lib/common/duration';
import { env } from '@/lib/env';

const HOSTS = { us: 'https://cdp.customer.io', eu: 'https://cdp-eu.customer.io' } as const;
const BATCH_ROWS = 100;
const BATCH_BYTES = 450 * 1024; // Customer.io accepts 500 KB per request; leave room for the envelope.
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = SECOND;
const MAX_DELAY_MS = 10 * MINUTE;
/** A claimed row is hidden from other claims this long: ample for ten batches at the 10 s request timeout. */
const CLAIM_MS = 5 * MINUTE;

export type ForwardTarget = { url: string; writeKey: string };
export type DeliveryResult = { sent: number; retrying: number; failed: number };

/** Where proxy mode forwards to, or null when CIO_WRITE_KEY is not set. */
export function forwardTarget(): ForwardTarget | null {
  const e = env();
  if (!e.CIO_WRITE_KEY) return null;
  const host = (e.CIO_API_HOST ?? HOSTS[e.CIO_REGION]).replace(/\/$/, '');
  return { url: `${host}/v1/batch`, writeKey: e.CIO_WRITE_KEY };
}

/** 1 s, 2 s, 4 s … capped at 10 minutes. */
export const backoffMs = (attempts: number) => Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);

/**
 * Sends every due row in batches, the way the node SDK talks to Customer.io (`{batch}` with Basic auth),
 * keeping each call's messageId so Customer.io dedupes too. Server errors and network failures are retried
 * with exponential backoff; a 4xx other than 429 will never succeed and is marked failed.
 * Times are wall-clock ms (`nowMs`), not the pipeline clock: the upstream is real.
 */
export async function deliverDue(db: DB, target: ForwardTarget, nowMs = Date.now()): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0 };
  // Claim the due rows by pushing their next attempt out: another instance's claim (or flush) skips them. An
  // instance that dies before recording the outcome leaves them due again after CLAIM_MS (Customer.io dedupes
  // such a resend by messageId).
  const dueIds = db
    .selectFrom('cdp_forward_queue')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs)
    .orderBy('id')
    .limit(1000);
  const due = await db
    .updateTable('cdp_forward_queue')
    .set({ next_attempt_at: nowMs + CLAIM_MS })
    .where('id', 'in', skipLockedRows(db, dueIds))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs)
    .returning(['id', 'payload', 'attempts'])
    .execute();
  due.sort((a, b) => a.id - b.id);
  for (const batch of chunk(due)) {
    const outcome = await post(
      target,
      batch.map((row) => row.payload),
    );
    const ids = batch.map((row) => row.id);
    if (outcome.ok) {
      await db
        .updateTable('cdp_forward_queue')
        .set({ status: 'sent', sent_at: new Date(nowMs).toISOString(), last_error: null })
        .where('id', 'in', ids)
        .execute();
      result.sent += batch.length;
      continue;
    }
    for (const row of batch) {
      const attempts = row.attempts + 1;
      const failed = !outcome.retry || attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('cdp_forward_queue')
        .set({
          status: failed ? 'failed' : 'pending',
          attempts,
          next_attempt_at: nowMs + backoffMs(attempts),
          last_error: outcome.error,
        })
        .where('id', '=', row.id)
        .execute();
      result[failed ? 'failed' : 'retrying']++;
    }
  }
  return result;
}

function chunk<T extends { payload: string }>(rows: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length && (current.length === BATCH_ROWS || bytes + row.payload.length > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.payload.length + 1;
  }
  if (current.length) batches.push(current);
  return batches;
}

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

async function post(target: ForwardTarget, payloads: string[]): Promise<Outcome> {
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}`,
      },
      body: `{"batch":[${payloads.join(',')}]}`,
      signal: AbortSignal.timeout(10 * SECOND),
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    const retry = response.status === 429 || response.status >= 500;
    return { ok: false, retry, error: `Customer.io answered ${response.status} ${response.statusText}` };
  } catch (error) {
    return { ok: false, retry: true, error: `Could not reach ${target.url}: ${(error as Error).message}` };
  }
}

// On globalThis: the scheduler (instrumentation bundle) and the ingest route (app bundle) get separate module
// instances, and two overlapping runs could send the same row twice.
const lock = globalThis as typeof globalThis & {
  __cdpForwarding?: Promise<DeliveryResult>;
  __cdpForwardAgain?: boolean;
  __cdpForwardRetry?: NodeJS.Timeout;
};

/**
 * Delivers due rows of the app's queue. Calls during a run join it and trigger one more pass, so rows queued
 * meanwhile go out promptly and no row is sent by two runs at once. Null when proxy mode is off.
 */
export function flushForwardQueue(db: DB): Promise<DeliveryResult> | null {
  const target = forwardTarget();
  if (!target) return null;
  if (lock.__cdpForwarding) {
    lock.__cdpForwardAgain = true;
    return lock.__cdpForwarding;
  }
  lock.__cdpForwarding = (async () => {
    const total: DeliveryResult = { sent: 0, retrying: 0, failed: 0 };
    do {
      lock.__cdpForwardAgain = false;
      const r = await deliverDue(db, target);
      total.sent += r.sent;
      total.retrying += r.retrying;
      total.failed += r.failed;
    } while (lock.__cdpForwardAgain);
    await scheduleRetry(db);
    return total;
  })().finally(() => {
    lock.__cdpForwarding = undefined;
  });
  return lock.__cdpForwarding;
}

/** Short backoffs would otherwise wait for the once-a-minute scheduler tick: wake up when the next row is due. */
async function scheduleRetry(db: DB) {
  const next = await db
    .selectFrom('cdp_forward_queue')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (next?.at == null) return;
  const wait = Number(next.at) - Date.now();
  if (wait >= MINUTE) return;
  clearTimeout(lock.__cdpForwardRetry);
  // Timers may fire a millisecond early; arriving a little late guarantees the row is due.
  lock.__cdpForwardRetry = setTimeout(() => kickForwarder(db), Math.max(0, wait) + 25);
  lock.__cdpForwardRetry.unref();
}

/** Fire-and-forget flush for callers that must not wait for Customer.io (ingest requests, retry timers). */
export function kickForwarder(db: DB): void {
  flushForwardQueue(db)?.catch((error) => console.error('[cdp] forwarding failed', error));
}
