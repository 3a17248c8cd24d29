import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyText, firstNonUtf8Byte, NotUtf8Error } from '@/lib/common/json-body';

// Bodies were decoded with Buffer#toString('utf8'), which turns a byte that is not UTF-8 into U+FFFD without a word.
describe('bodyText', () => {
  it('reads UTF-8, skipping one byte-order mark, and refuses other bytes naming the first', () => {
    expect(bodyText(Buffer.from('\uFEFF\uFEFF{"n":"Café 😀"}'))).toBe('\uFEFF{"n":"Café 😀"}');
    expect(() => bodyText(Buffer.from('{"n":"Café"}', 'latin1'))).toThrow(new NotUtf8Error(9).message);
    expect(() => bodyText(Buffer.from('{"n":"Café"}', 'latin1'))).toThrow(NotUtf8Error);
  });

  it('names the byte where the decoder stops: every byte before it is UTF-8, and it is not', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const decodes = (bytes: Uint8Array) => {
      try {
        fatal.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    // Bytes weighted towards lead and continuation bytes, where the edge cases are.
    const byte = fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0x80, max: 0xf5 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 8 }), (list) => {
        const bytes = Uint8Array.from(list);
        const at = firstNonUtf8Byte(bytes);
        expect(at === bytes.length).toBe(decodes(bytes));
        expect(decodes(bytes.subarray(0, at))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
