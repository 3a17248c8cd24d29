// Runs once per server start. The pipeline needs Node (the database, timers), so it is loaded only in that runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceOpsConsole, startPipelineOrExit } = await import('./lib/cdp');
  await startPipelineOrExit();
  announceOpsConsole();
}
