import { EventEmitter } from 'node:events';

/**
 * A stand-in for the composing thread of lib/cdp/runtime/message-composer.ts, which vitest cannot start (its entry is
 * TypeScript): `node:worker_threads` whose Worker runs the real entry (compose-worker.ts) on this thread, each message
 * structured-cloned and delivered a macrotask later as between threads. A test mocks the module with it, imports
 * compose-worker.ts, calls `asProductionServer()`, and can make the thread hold its answers or crash:
 *
 *   vi.mock('node:worker_threads', async (original) =>
 *     (await import('../support/compose-thread')).workerThreadsStandIn(await original()));
 */
export const composeThread = {
  /** Threads started (a process starts one, and none once one failed). */
  started: 0,
  /** Requests posted to it. */
  posts: 0,
  /** false: requests are taken but never answered (to hold a pass with groups in flight). */
  answers: true,
  /** Called as each request is posted (n from 1), with the Worker to make it emit 'error' or 'exit'. */
  onPost: (() => {}) as (n: number, worker: EventEmitter) => void,
};

/** Answers again, and forgets `onPost` and the count of posts (a started thread serves the whole file). */
export function resetComposeThread(): void {
  Object.assign(composeThread, { posts: 0, answers: true, onPost: () => {} });
}

export function workerThreadsStandIn<T extends object>(actual: T) {
  const parentPort = Object.assign(new EventEmitter(), { postMessage: (() => {}) as (reply: unknown) => void });
  class Worker extends EventEmitter {
    constructor() {
      super();
      composeThread.started++;
      parentPort.postMessage = (reply) => setImmediate(() => this.emit('message', structuredClone(reply)));
    }
    unref() {}
    terminate() {
      return Promise.resolve(1);
    }
    postMessage(request: unknown) {
      const copy = structuredClone(request);
      if (composeThread.answers) setImmediate(() => parentPort.emit('message', copy));
      composeThread.onPost(++composeThread.posts, this);
    }
  }
  return { ...actual, default: { ...actual, Worker, parentPort }, Worker, parentPort };
}

/** What message-composer.ts reads to tell a production Next.js server (undone by vi.unstubAllEnvs). */
export function asProductionServer(vi: { stubEnv(name: string, value: string): unknown }): void {
  vi.stubEnv('NEXT_RUNTIME', 'nodejs');
  vi.stubEnv('NODE_ENV', 'production');
}
