import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, vi, type RunnerTask } from 'vitest';
import { releaseTempFolders } from './temp-folders';

// Setup file of every vitest project: files share a worker (`isolate: false` in vitest.config.mts), so the packages
// (Next, React, zod, Kysely, …) load once per worker instead of once per file, which was over half the unit tests'
// CPU. What a file could leave behind for the next is reset here instead:
// - the app's own modules are evaluated afresh for each file (caches, secrets, a mocked import);
// - the environment is the worker's own again (files set DATABASE_URL, APP_SECRET, …);
// - the app's process-wide state on globalThis (the database handle, the scheduler, the journey pass's stop switch,
//   the forwarder's lock: lib/common/process-state.ts keeps the list) is released and forgotten after each file, as
//   a new process would not have it;
// - the file's temporary folders (temp-folders.ts) are removed, unless one of its tests failed.
vi.resetModules();

// As Next.js's server sets up before loading anything (next/dist/server/node-environment-baseline.js): its request
// stores (after(), headers()) are built from this global when their module first loads. Without it they are stand-ins
// that throw when used, and once a file loads Next's server environment (which routes every console.* call through
// them) each later console call in the worker threw "AsyncLocalStorage accessed in runtime where it is not available".
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;

const app = globalThis as typeof globalThis & { __workerEnv?: NodeJS.ProcessEnv };
const workerEnv = (app.__workerEnv ??= { ...process.env });
for (const key of Object.keys(process.env)) if (!(key in workerEnv)) delete process.env[key];
Object.assign(process.env, workerEnv);

afterAll(async ({}, file) => {
  const { resetProcessState } = await import('../../../lib/common/process-state');
  await resetProcessState();
  // Last (after hooks run in reverse): the file's databases are closed by now.
  releaseTempFolders(file.name, failed(file));
});

/** Whether a test (or hook) of `task` failed. */
function failed(task: Readonly<RunnerTask>): boolean {
  return task.result?.state === 'fail' || ('tasks' in task && task.tasks.some(failed));
}
