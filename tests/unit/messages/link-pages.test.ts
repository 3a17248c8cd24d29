import { beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import { resetEnvCache } from '@/lib/env';
import { linkPageStatus } from '@/lib/shop/server/link-pages';
import { createRestoreToken } from '@/lib/shop/server/restore-token';

// The status proxy.ts answers a page opened from an email's link with: the page itself explains. (The setup file
// gives every test file the worker's environment back: nothing to restore.)
beforeAll(() => {
  process.env.APP_SECRET = 'link-pages-secret-0123456789';
  resetEnvCache();
});

const lines = [{ sku: 'GL-SERUM-30', variantId: 'glow-serum-30ml', quantity: 1 }];
/** The token with one character of its signature changed (not the last, whose low bits base64url ignores). */
const forged = (token: string) => {
  const i = token.length - 5;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
};

describe('link pages', () => {
  it('unsubscribe: 200 while the token is the pipeline’s, 404 when forged, cut short, or another link’s', async () => {
    const token = createUnsubscribeToken('cus_4f9Kx2LmQ8vTz1Ab');
    expect(await linkPageStatus(`/unsubscribe/${token}`)).toBeNull();
    expect(await linkPageStatus(`/unsubscribe/${encodeURIComponent(token)}`)).toBeNull();
    expect(await linkPageStatus(`/unsubscribe/${forged(token)}`)).toBe(404);
    expect(await linkPageStatus(`/unsubscribe/${token.slice(0, 20)}`)).toBe(404);
    expect(await linkPageStatus('/unsubscribe/%E0%A4%A')).toBe(404);
    // A restore token is signed for another purpose: never an unsubscribe link, and the other way round.
    const restore = createRestoreToken({ lines });
    expect(await linkPageStatus(`/unsubscribe/${restore}`)).toBe(404);
    expect(await linkPageStatus(`/cart/restore/${token}`)).toBe(404);
  });

  it('restore: 200 while valid, 410 once expired, 404 when forged', async () => {
    const token = createRestoreToken({ lines });
    expect(await linkPageStatus(`/cart/restore/${token}`)).toBeNull();
    expect(await linkPageStatus(`/cart/restore/${forged(token)}`)).toBe(404);
    const expired = createRestoreToken({ lines, expiresAt: new Date(Date.now() - 1) });
    expect(await linkPageStatus(`/cart/restore/${expired}`)).toBe(410);
  });

  it('other paths are no link pages', () => {
    for (const path of ['/', '/unsubscribe', '/unsubscribe/a/b', '/cart/restore', '/products/unsubscribe'])
      expect(linkPageStatus(path)).toBeNull();
  });
});
