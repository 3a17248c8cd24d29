import { describe, expect, it } from 'vitest';
import { createWalSync } from '@/lib/db/wal-sync';

/** A flush the test ends by hand, counting how many were started. */
function manualFlush() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { flush, pending };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  // Long enough for every callback queued so far to run.
  await new Promise((resolve) => setTimeout(resolve, 5));
  return done;
};

describe('WAL group commit (lib/db/wal-sync.ts)', () => {
  it('flushes at once when no flush is running, and resolves when it ends', async () => {
    const { flush, pending } = manualFlush();
    const wal = createWalSync('unused-wal', flush);
    const first = wal.sync();
    expect(pending).toHaveLength(1);
    expect(await settled(first)).toBe(false);
    pending[0]!.resolve();
    expect(await settled(first)).toBe(true);
  });

  it('makes a commit that arrives during a flush wait for the next flush, which serves every such commit', async () => {
    const { flush, pending } = manualFlush();
    const wal = createWalSync('unused-wal', flush);
    const first = wal.sync();
    // These commits came after the running flush started: it may not have covered their frames.
    const second = wal.sync();
    const third = wal.sync();
    expect(pending).toHaveLength(1);
    pending[0]!.resolve();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    expect(pending).toHaveLength(2);
    pending[1]!.resolve();
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(pending).toHaveLength(2);
  });

  it('rejects the commits a failed flush was to cover, and flushes again for the next', async () => {
    const { flush, pending } = manualFlush();
    const wal = createWalSync('unused-wal', flush);
    const first = wal.sync();
    const second = wal.sync();
    pending[0]!.reject(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    // The waiting commit still gets a flush of its own.
    expect(await settled(second)).toBe(false);
    pending[1]!.resolve();
    await expect(second).resolves.toBeUndefined();
    const third = wal.sync();
    expect(pending).toHaveLength(3);
    pending[2]!.resolve();
    await expect(third).resolves.toBeUndefined();
  });
});
