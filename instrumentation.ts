// Runs once per server start. The pipeline needs Node (SQLite, timers), so it is loaded only in that runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceOpsConsole, startPipeline } = await import('./lib/cdp');
  await startPipeline();
  announceOpsConsole();
}
