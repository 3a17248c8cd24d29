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

  it("removes the pipeline's shutdown listeners, so starting it in each of many files adds none", async () => {
    vi.stubEnv('DATABASE_URL', ':memory:');
    vi.stubEnv('CDP_SCHEDULER', 'off');
    const before = process.listenerCount('SIGTERM');
    const { startPipeline } = await import('@/lib/cdp/runtime/start');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await startPipeline();
    await startPipeline();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    await resetProcessState();
    expect(process.listenerCount('SIGTERM')).toBe(before);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
});
