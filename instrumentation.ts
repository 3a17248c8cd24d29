// Runs once per server start. The pipeline needs Node (the database, timers), so it is loaded only in that runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceOpsConsole, startPipeline } = await import('./lib/cdp');
  try {
    await startPipeline();
    announceOpsConsole();
  } catch (error) {
    // A variable the app cannot use (e.g. DATABASE_URL=mysql://…): stop with its message instead of serving 500s.
    // By name, not instanceof: instrumentation and lib/env may be separate bundles with separate classes.
    if ((error as Error).name === 'EnvError') {
      console.error(`\n${(error as Error).message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
