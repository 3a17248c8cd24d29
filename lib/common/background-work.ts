import { settleBy } from './deadline.mjs';
import { processState } from './process-state';

/**
 * The process's background work (a forwarding pass, a pass or send of the shop's outbox, a minute tick), counted so
 * that a server told to stop can let it finish before it exits (lib/cdp/runtime/shutdown.ts, scripts/serve.mjs).
 * Killed mid-pass, a process left every row the pass had claimed hidden for the claim's 5 minutes, and a batch the
 * receiver had taken but that was not yet marked sent went out again. The drain has two steps:
 * - stopping: no new background work starts (`asBackgroundWork` refuses it), and work in flight stops at its next safe
 *   point (`throwIfStopping`, between batches or rows), where its ClaimLedger hands back what it claimed;
 * - abandoned, when the drain's time is nearly up: work still waiting on something outside (an upstream's answer,
 *   `unlessAbandoned`) gives up waiting, and what it sent then is handed back too (the receiver dedupes a resend).
 */
export class ShutdownError extends Error {
  override name = 'ShutdownError';
}

/** By name, not instanceof: route handlers and instrumentation are separate bundles with separate classes. */
export const isShutdownError = (error: unknown): boolean => (error as Error | null)?.name === 'ShutdownError';

type Work = { stopping: AbortController; abandoned: AbortController; running: Set<Promise<unknown>> };
// On globalThis: the scheduler (instrumentation's bundle) and the routes' sends (the app's) are one process's work.
const state = processState<{ __backgroundWork: Work }>({ __backgroundWork: null });
const work = (): Work =>
  (state.__backgroundWork ??= {
    stopping: new AbortController(),
    abandoned: new AbortController(),
    running: new Set(),
  });

/** Whether the server is stopping: no new background work; work in flight stops at its next safe point. */
export const isStopping = (): boolean => work().stopping.signal.aborted;

/** Aborted once the server is stopping (for waits that should end then: a timer between passes). */
export const stoppingSignal = (): AbortSignal => work().stopping.signal;

/** Aborted when work in flight is abandoned (for requests to cancel: a fetch's `signal`). */
export const abandonedSignal = (): AbortSignal => work().abandoned.signal;

/** A safe point: throws the ShutdownError once the server is stopping. */
export function throwIfStopping(): void {
  work().stopping.signal.throwIfAborted();
}

/** Runs `task` as background work, counted until it settles. Once the server is stopping it is not started. */
export function asBackgroundWork<T>(task: () => Promise<T>): Promise<T> {
  const { stopping, running } = work();
  if (stopping.signal.aborted) return Promise.reject(stopping.signal.reason as Error);
  const result = task();
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  running.add(settled);
  void settled.then(() => running.delete(settled));
  return result;
}

/** `promise`, unless the work is abandoned first: then the ShutdownError (what `promise` brings later is ignored). */
export function unlessAbandoned<T>(promise: Promise<T>): Promise<T> {
  const signal = work().abandoned.signal;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(signal.reason as Error);
    signal.addEventListener('abort', abandon, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
  });
}

/**
 * The drain: stops background work, waits for what is in flight until `abandonAt`, then abandons what is left and
 * waits until `until`. `running`: how many pieces of work are still running (0: all settled); `abandoned`: some
 * work was still waiting at `abandonAt` (it handed back what it had claimed, if it settled).
 */
export async function drainBackgroundWork({ abandonAt, until }: { abandonAt: number; until: number }) {
  const w = work();
  w.stopping.abort(new ShutdownError('the server is stopping: background work stops at its next safe point'));
  await settled(w.running, abandonAt);
  if (!w.running.size) return { running: 0, abandoned: false };
  w.abandoned.abort(new ShutdownError('the server is stopping: work still waiting on an answer is abandoned'));
  await settled(w.running, until);
  return { running: w.running.size, abandoned: true };
}

/** Waits until every piece of `running` (including any it starts) has settled, or `deadline`. */
async function settled(running: Set<Promise<unknown>>, deadline: number): Promise<void> {
  while (running.size && Date.now() < deadline) await settleBy(Promise.allSettled(running), deadline, undefined);
}
