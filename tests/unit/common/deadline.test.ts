import { describe, expect, it } from 'vitest';
import { settleBy } from '@/lib/common/deadline.mjs';

describe('settleBy', () => {
  it("is the promise's value when it settles before the deadline", async () => {
    await expect(settleBy(Promise.resolve('closed'), Date.now() + 10_000, 'late')).resolves.toBe('closed');
  });

  it('is the late value once the deadline comes first, and a deadline already past does not wait', async () => {
    const never = new Promise<string>(() => undefined);
    await expect(settleBy(never, Date.now() + 20, 'late')).resolves.toBe('late');
    await expect(settleBy(never, Date.now() - 1_000, false)).resolves.toBe(false);
  });

  it("passes the promise's rejection on (callers decide whether a failure counts as settled)", async () => {
    await expect(settleBy(Promise.reject(new Error('refused')), Date.now() + 10_000, 'late')).rejects.toThrow(
      'refused',
    );
  });
});
