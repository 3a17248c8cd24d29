import { describe, expect, it, vi } from 'vitest';
import { processState, resetProcessState } from '@/lib/common/process-state';

describe('processState', () => {
  it('keeps state on globalThis, shared by every copy of a module, until reset releases and forgets it', async () => {
    const closed: string[] = [];
    const a = processState<{ __testHandle: { name: string } }>({ __testHandle: (h) => closed.push(h.name) });
    const b = processState<{ __testHandle: { name: string } }>({ __testHandle: (h) => closed.push(h.name) });
    a.__testHandle = { name: 'db' };
    expect(b.__testHandle).toEqual({ name: 'db' });

    await resetProcessState();
    expect(closed).toEqual(['db']);
    expect(a.__testHandle).toBeUndefined();
    expect('__testHandle' in globalThis).toBe(false);

    await resetProcessState();
    expect(closed, 'a value is released once').toEqual(['db']);
  });

  it('releases timers, so a reset process has none left running', async () => {
    const tick = vi.fn();
    const state = processState<{ __testTimer: NodeJS.Timeout }>({ __testTimer: clearInterval });
    state.__testTimer = setInterval(() => tick(), 5);
    await resetProcessState();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tick).not.toHaveBeenCalled();
  });

  it("removes the pipeline's shutdown listener and gives back those it held, so starting it in each of many files adds none", async () => {
    vi.stubEnv('DATABASE_URL', ':memory:');
    vi.stubEnv('CDP_SCHEDULER', 'off');
    const before = process.listeners('SIGTERM');
    // Next's own server registers its listener (close the server, exit 143) before the pipeline starts.
    const nextCleanup = () => undefined;
    process.on('SIGTERM', nextCleanup);
    const { startPipeline } = await import('@/lib/cdp/runtime/start');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await startPipeline();
    await startPipeline();
    expect(process.listeners('SIGTERM'), 'one listener, holding the others until the drain is done').toHaveLength(1);
    await resetProcessState();
    expect(process.listeners('SIGTERM')).toEqual([...before, nextCleanup]);
    process.off('SIGTERM', nextCleanup);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
});
