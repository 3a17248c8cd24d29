import 'server-only';
import { processState } from '@/lib/common/process-state';
import { nextRefusal, refusalKind, type Refusal, type RefusalKind } from '@/lib/common/refusal-pause';

/**
 * Forwarding held for the whole process, not for some rows: Customer.io asked for no request before `until`
 * (`retry-after`), or it refused the request itself (`refused`: the write key, the address; upstream.ts), so every
 * call would be refused alike. While `refused`, calls stay queued with no attempt counted (the pass that met the
 * refusal hands its rows back), and once `until` is past the next pass's first batch is the one probe: refused
 * again, the pause grows (lib/common/refusal-pause.ts); taken, or answered otherwise, forwarding goes on in order.
 * Per process: another instance meets the refusal with its own first request and pauses too. A restart forgets it,
 * so fixing the setting and restarting sends at once.
 */
export type ForwardPause =
  | { kind: 'retry-after'; until: number }
  | ({
      kind: 'refused';
      /** In a few words, for the console's heading. */
      headline: string;
    } & Refusal);

// On globalThis: the scheduler (instrumentation bundle), the routes and the console page share it.
const state = processState<{ __cdpForwardPause: ForwardPause }>({ __cdpForwardPause: null });

/** The process's pause, or null. */
export const forwardPause = (): ForwardPause | null => state.__cdpForwardPause ?? null;

/**
 * The pause in force for the console: a refusal until a probe gets through (its `until` may be past while the next
 * pass is due), a Retry-After until it ends.
 */
export function forwardingPause(nowMs = Date.now()): ForwardPause | null {
  const pause = forwardPause();
  return pause && (pause.kind === 'refused' || pause.until > nowMs) ? pause : null;
}

/** Until when no request goes out (0: now). */
export const pausedUntil = () => state.__cdpForwardPause?.until ?? 0;

/** Customer.io's `Retry-After`: a 429 is about the sender, not one call (flushForwardQueue). */
export function pauseForRetryAfter(atMs: number): void {
  state.__cdpForwardPause = { kind: 'retry-after', until: atMs };
}

const HEADLINES: Record<RefusalKind, string> = {
  redirect: 'Customer.io answered with a redirect',
  proxy: 'a proxy on the way to Customer.io wants credentials',
  key: 'Customer.io refused the write key',
  address: 'Customer.io has no batch API at this address',
};
const headlineOf = (status: number) => HEADLINES[refusalKind(status) ?? 'address'];

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Customer.io refused a request as a whole (`status`): pause until the next probe. Logged when the state changes
 * (a first refusal, another status), not on every probe that meets the same one.
 */
export function pauseForRefusal(nowMs: number, status: number, error: string): ForwardPause {
  const previous = state.__cdpForwardPause;
  const { refusal, changed } = nextRefusal(previous?.kind === 'refused' ? previous : null, nowMs, status, error);
  const pause: ForwardPause = { kind: 'refused', headline: headlineOf(status), ...refusal };
  state.__cdpForwardPause = pause;
  if (changed)
    console.error(
      `[cdp] forwarding paused: ${pause.headline} (${status}). ${error}. Calls stay queued (no attempt counted); ` +
        `one request tries again at ${iso(pause.until)}, then less often, up to every 15 minutes.`,
    );
  return pause;
}

/**
 * A request met no refusal (taken, or failed another way, which the rows' own backoff handles): a refused pause is
 * over (logged once).
 */
export function endRefusal(nowMs: number): void {
  const previous = state.__cdpForwardPause;
  if (previous?.kind !== 'refused') return;
  state.__cdpForwardPause = undefined;
  console.info(
    `[cdp] forwarding resumed: a request at ${iso(nowMs)} was not refused, ` +
      `after ${previous.refusals} refused since ${iso(previous.since)} (${previous.status}).`,
  );
}
