import { describe, expect, it } from 'vitest';
import { listCartSkus } from '@/lib/shop/domain/catalog';
import { shownSku, unsoldItem } from '@/lib/shop/domain/unsold-item';

const sold = listCartSkus();

describe('an item no longer sold, as a shopper is told of it', () => {
  it('is a size of the product when the product is still sold in other sizes', () => {
    expect(unsoldItem('GL-SER-NIA-60', sold)).toBe('A size of Niacinamide 10% Serum');
    expect(unsoldItem('GL-MOI-BAR-200', sold)).toBe('A size of Barrier Repair Cream');
  });

  it('is an item with its SKU when no single product has that family (a bundle, or nothing at all)', () => {
    expect(unsoldItem('GL-BUN-SUMMER', sold)).toBe('An item ("GL-BUN-SUMMER")');
    expect(unsoldItem('GL-GONE-1', sold)).toBe('An item ("GL-GONE-1")');
    expect(unsoldItem('NOHYPHEN', sold)).toBe('An item ("NOHYPHEN")');
  });

  it('quotes a long or unprintable SKU shortened, printable and whole characters only', () => {
    expect(shownSku('X'.repeat(100_000))).toBe(`${'X'.repeat(23)}…`);
    expect(shownSku('GL-\u0000BAD\n\u202eSKU ')).toBe('GL- BAD SKU');
    expect([...shownSku('😀'.repeat(30))]).toHaveLength(24);
    expect(shownSku('😀'.repeat(30))).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
    expect(unsoldItem('GL-SER-NIA-' + 'x'.repeat(5000), sold)).toBe('A size of Niacinamide 10% Serum');
  });
});
