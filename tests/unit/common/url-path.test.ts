import { describe, expect, it } from 'vitest';
import { escapeUndecodablePath } from '@/lib/common/url-path.mjs';

describe('escapeUndecodablePath (proxy.ts)', () => {
  it('leaves paths that decode alone, as null', () => {
    for (const path of ['/', '/products/gentle-gel-cleanser', '/ops/people/cus_%C3%A9', '/a%2Fb', '/%25']) {
      expect(escapeUndecodablePath(path)).toBeNull();
    }
  });

  it('escapes the % signs of each segment that does not decode, so the route gets the text as typed', () => {
    expect(escapeUndecodablePath('/products/%ZZ')).toBe('/products/%25ZZ');
    expect(escapeUndecodablePath('/api/ops/people/%E0%A4%A/timeline')).toBe('/api/ops/people/%25E0%25A4%25A/timeline');
    // Escapes of bytes that are not UTF-8 (an overlong NUL, a surrogate) fail as surely as a bad escape.
    expect(escapeUndecodablePath('/x/%C0%80/%ED%A0%80/%41')).toBe('/x/%25C0%2580/%25ED%25A0%2580/%41');
    const repaired = escapeUndecodablePath('/cart/restore/%')!;
    expect(decodeURIComponent(repaired)).toBe('/cart/restore/%');
  });
});
