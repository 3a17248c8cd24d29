import 'server-only';
import { processState } from '@/lib/common/process-state';
import { nextRefusal, type Refusal } from '@/lib/common/refusal-pause';

/**
 * The shop's outbox held for the whole process: the pipeline's ingest refused the request itself (the server write
 * key, the address: tracker-sender.ts), so every call would be refused alike. Its calls stay recorded with no
 * attempt counted (a day of retries then the dead-letter list filled it with every server call until someone fixed
 * the setting and pressed Replay), no pass claims any until `until`, and then the next pass's first call is the one
 * probe (lib/common/refusal-pause.ts). Per process: another instance pauses on its own first refusal; a restart
 * forgets it, so fixing the setting and restarting sends at once.
 */
export type OutboxPause = Refusal;

// On globalThis: the scheduler's job (instrumentation bundle), the actions and the console page share it.
const state = processState<{ __shopOutboxPause: OutboxPause }>({ __shopOutboxPause: null });

/** The pause in force (until a probe gets through: its `until` may be past while the next pass is due), or null. */
export const outboxPause = (): OutboxPause | null => state.__shopOutboxPause ?? null;

/** Whether no pass may send now (a refusal whose next probe is still ahead). */
export const outboxPausedAt = (nowMs: number) => (state.__shopOutboxPause?.until ?? 0) > nowMs;

const iso = (ms: number) => new Date(ms).toISOString();

/** The pipeline refused a send as a whole (`status`): pause until the next probe, logged once per state. */
export function pauseOutbox(nowMs: number, status: number, error: string): OutboxPause {
  const { refusal, changed } = nextRefusal(state.__shopOutboxPause, nowMs, status, error);
  state.__shopOutboxPause = refusal;
  if (changed)
    console.error(
      `[shop] outbox paused: the pipeline refused the shop's server calls (${status}). ${error}. They stay recorded ` +
        `(no attempt counted); one call tries again at ${iso(refusal.until)}, then less often, up to every 15 minutes.`,
    );
  return refusal;
}

/** A send met no refusal (acknowledged, or failed another way, which the row's own backoff handles). */
export function endOutboxPause(nowMs: number): void {
  const previous = state.__shopOutboxPause;
  if (!previous) return;
  state.__shopOutboxPause = undefined;
  console.info(
    `[shop] outbox resumed: a call at ${iso(nowMs)} was not refused, ` +
      `after ${previous.refusals} refused since ${iso(previous.since)} (${previous.status}).`,
  );
}

/** The pause as GET /api/ops/shop-events shows it (ISO times), or null. */
export function outboxPauseView() {
  const pause = outboxPause();
  if (!pause) return null;
  const { status, error, refusals } = pause;
  return { status, error, since: iso(pause.since), at: iso(pause.at), next_try_at: iso(pause.until), refusals };
}
