import { afterEach, expect, it, vi } from 'vitest';
import { asBackgroundWork } from '@/lib/common/background-work';
import { resetProcessState } from '@/lib/common/process-state';

// Under Next's own servers (.next/standalone/server.js, `next start`), SIGTERM made Next close its HTTP server and
// exit at once, whatever the pipeline had in flight: a forwarding pass's claimed rows then waited out their claim.
// The pipeline now holds Next's signal listeners until its drain is done (lib/cdp/runtime/start.ts).
const saved = process.listeners('SIGTERM');
afterEach(async () => {
  await resetProcessState();
  process.removeAllListeners('SIGTERM');
  for (const listener of saved) process.on('SIGTERM', listener);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it("under Next's own server, SIGTERM drains background work first, then hands the signal to Next's listener", async () => {
  vi.stubEnv('DATABASE_URL', ':memory:');
  vi.stubEnv('CDP_SCHEDULER', 'off');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  // Only the listener Next's server registers before the pipeline starts (none of this worker's own).
  process.removeAllListeners('SIGTERM');
  const order: string[] = [];
  process.on('SIGTERM', (signal: string) => order.push(`next closes and exits (${signal})`));
  const { startPipeline } = await import('@/lib/cdp/runtime/start');
  await startPipeline();

  let finish = () => {};
  const pass = asBackgroundWork(() =>
    new Promise<void>((resolve) => (finish = resolve)).then(() => order.push('pass done')),
  );
  process.emit('SIGTERM');
  await expect(
    asBackgroundWork(async () => 'a new pass'),
    'a stopping server starts no new work',
  ).rejects.toMatchObject({
    name: 'ShutdownError',
  });
  expect(order, 'Next waits for the pass in flight').toEqual([]);
  finish();
  await pass;
  await vi.waitFor(() => expect(order).toEqual(['pass done', 'next closes and exits (SIGTERM)']));
});
