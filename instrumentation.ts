// Runs once per server start. The pipeline needs Node (the database, timers), so it is loaded only in that runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceOpsConsole, publishIngestFastPath, registerJob, startPipelineOrExit } = await import('./lib/cdp');
  const { getDb } = await import('./lib/db');
  const { shopEventOutboxJob } = await import('./lib/shop/server/shop-events');
  // The shop's outbox (every call its server makes) is retried on the pipeline's minute tick; the shop does not
  // import lib/cdp.
  registerJob('shop-event-outbox', async () => shopEventOutboxJob(await getDb()), { clock: 'wall' });
  await startPipelineOrExit();
  // For scripts/serve.mjs (npm start): it answers the ingest API with these handlers, before Next.js.
  publishIngestFastPath();
  announceOpsConsole();
}
