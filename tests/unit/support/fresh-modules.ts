import { afterAll, vi } from 'vitest';

// Setup file of every vitest project: files share a worker (`isolate: false` in vitest.config.mts), so the packages
// (Next, React, zod, Kysely, …) load once per worker instead of once per file, which was over half the unit tests'
// CPU. What a file could leave behind for the next is reset here instead:
// - the app's own modules are evaluated afresh for each file (caches, secrets, a mocked import);
// - the environment is the worker's own again (files set DATABASE_URL, APP_SECRET, …);
// - the app's process-wide singletons on globalThis (the database handle, the scheduler, the journey pass's stop
//   switch, the forwarder's lock) are closed and removed after each file, as a new process would not have them.
vi.resetModules();

type AppGlobals = {
  __workerEnv?: NodeJS.ProcessEnv;
  __shopDb?: Promise<{ destroy(): Promise<void> }>;
  __cdpTimer?: NodeJS.Timeout;
  __cdpForwardRetry?: NodeJS.Timeout;
};
const app = globalThis as typeof globalThis & AppGlobals;
const workerEnv = (app.__workerEnv ??= { ...process.env });
for (const key of Object.keys(process.env)) if (!(key in workerEnv)) delete process.env[key];
Object.assign(process.env, workerEnv);

const SINGLETONS = [
  '__shopDb',
  '__cdpJobs',
  '__cdpTimer',
  '__cdpShutdownHooked',
  '__cdpForwarding',
  '__cdpForwardAgain',
  '__cdpForwardRetry',
  '__journeyPass',
  '__journeyStop',
] as const;

afterAll(async () => {
  clearInterval(app.__cdpTimer);
  clearTimeout(app.__cdpForwardRetry);
  const db = app.__shopDb;
  for (const key of SINGLETONS) delete (app as Record<string, unknown>)[key];
  await (await db?.catch(() => undefined))?.destroy();
});
