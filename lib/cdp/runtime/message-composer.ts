import 'server-only';
import { Worker } from 'node:worker_threads';
import type { JourneyRun, MessageIntent } from '@/lib/cdp/engine/journeys/types';
import type { ComposedMessage } from '@/lib/cdp/engine/messages/render';
import { processState } from '@/lib/common/process-state';
import { composeMessages, failUnrendered, type ComposedSlice, type ComposeOptions } from './compose-message';

/**
 * Composing a journey pass's emails (Liquid, the link guard, unsubscribe tokens) was a fifth of a first pass over
 * 100k people. In a production build it runs on a thread of its own (./compose-worker.ts, bundled by Next.js as a
 * chunk of its own), so the pass loads and steps the next slice meanwhile, on a second core. Elsewhere it stays on
 * the caller's thread: under vitest or jiti this module is TypeScript source, which a worker cannot load, and under
 * `next dev` a thread would keep composing with the code it started with. So it does, for good, in a server whose
 * thread failed (logged once; the pass that was waiting fails and the next one redoes it).
 */
export const COMPOSING_THREAD_FAILED = '[cdp] the composing thread failed';

export type ComposeRequest = { id: number; intents: readonly MessageIntent[]; options: ComposeOptions };
export type ComposeReply = { id: number; ok: true; composed: ComposedSlice } | { id: number; ok: false; error: string };
type Waiting = Map<number, { resolve: (composed: ComposedSlice) => void; reject: (error: Error) => void }>;

// On globalThis: route handlers and instrumentation are separate bundles, and one thread serves them all.
type Composer = { worker: Worker | null; failed: boolean; nextId: number; waiting: Waiting };
// Released by ending the thread: one that is no longer the current one exits without counting as a failure, and
// what waited on it fails rather than waits for good (a pass waiting on it would hold the next one forever).
const state = processState<{ __composer: Composer }>({
  __composer: (c) => {
    const worker = c.worker;
    c.worker = null;
    failWaiting(c, new Error('the composing thread was ended (process state released)'));
    return worker?.terminate();
  },
});
const composer = (state.__composer ??= { worker: null, failed: false, nextId: 0, waiting: new Map() });

function failWaiting(c: Composer, error: Error) {
  for (const { reject } of c.waiting.values()) reject(error);
  c.waiting.clear();
}

function giveUp(error: Error) {
  if (!composer.failed) console.error(`${COMPOSING_THREAD_FAILED}; emails are composed on the server's thread`, error);
  composer.failed = true;
  composer.worker = null;
  failWaiting(composer, error);
}

function composingThread(): Worker | null {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NODE_ENV !== 'production' || composer.failed) return null;
  if (composer.worker) return composer.worker;
  const worker = new Worker(new URL('./compose-worker.ts', import.meta.url));
  // Never what keeps a stopping server alive: a pass stops at its next slice (shutdown.ts).
  worker.unref();
  worker.on('message', (reply: ComposeReply) => {
    const pending = composer.waiting.get(reply.id);
    if (!pending) return;
    composer.waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.composed);
    else pending.reject(new Error(reply.error));
  });
  worker.on('error', (error) => composer.worker === worker && giveUp(error));
  worker.on('exit', (code) => composer.worker === worker && giveUp(new Error(`it exited with code ${code}`)));
  return (composer.worker = worker);
}

function composeOn(worker: Worker, intents: readonly MessageIntent[], options: ComposeOptions) {
  const id = composer.nextId++;
  return new Promise<ComposedSlice>((resolve, reject) => {
    composer.waiting.set(id, { resolve, reject });
    try {
      worker.postMessage({ id, intents, options } satisfies ComposeRequest);
    } catch (error) {
      composer.waiting.delete(id);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** A slice's messages composed (on the composing thread when there is one), and its runs with failed renders failed. */
export async function composeElsewhere(
  intents: readonly MessageIntent[],
  runs: readonly JourneyRun[],
  options: ComposeOptions,
): Promise<{ messages: ComposedMessage[]; runs: JourneyRun[] }> {
  const worker = intents.length ? composingThread() : null;
  if (!worker) return composeMessages(intents, runs, options);
  const { messages, failed } = await composeOn(worker, intents, options);
  return { messages, runs: failUnrendered(runs, failed) };
}
