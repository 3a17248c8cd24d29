import { describe, expect, it } from 'vitest';
import {
  COUNTRIES,
  InvalidQuantityError,
  UnknownSkuError,
  formatMoney,
  isCountryCode,
  priceLines,
  quoteOrder,
  taxOn,
} from '@/lib/shop/domain/pricing';

// Catalogue prices these tests rely on: GL-CLN-GEL-150 $18.00, GL-CLN-GEL-300 $30.00, GL-SER-NIA-15 $14.00.
describe('pricing', () => {
  it('prices lines from the catalogue and sums the subtotal', () => {
    const { lines, subtotalCents } = priceLines([
      { sku: 'GL-CLN-GEL-150', quantity: 2 },
      { sku: 'GL-CLN-GEL-300', quantity: 1 },
    ]);
    expect(lines.map((l) => [l.sku, l.unitPriceCents, l.lineTotalCents])).toEqual([
      ['GL-CLN-GEL-150', 1800, 3600],
      ['GL-CLN-GEL-300', 3000, 3000],
    ]);
    expect(lines[0]).toMatchObject({
      variantId: 'var_gentle_gel_cleanser_150',
      productId: 'prod_gentle_gel_cleanser',
      name: 'Gentle Gel Cleanser',
      variantName: '150 ml',
      handle: 'gentle-gel-cleanser',
      image: '/products/gentle-gel-cleanser.svg',
    });
    expect(subtotalCents).toBe(6600);
  });

  it('throws a readable UnknownSkuError for an unknown SKU', () => {
    expect(() => priceLines([{ sku: 'GL-FAKE-1', quantity: 1 }])).toThrow(UnknownSkuError);
    expect(() => priceLines([{ sku: 'GL-FAKE-1', quantity: 1 }])).toThrow(/GL-FAKE-1/);
  });

  it('rejects quantities outside 1–99 and fractions', () => {
    for (const quantity of [0, -1, 100, 1.5, Number.NaN]) {
      expect(() => priceLines([{ sku: 'GL-CLN-GEL-150', quantity }])).toThrow(InvalidQuantityError);
    }
  });

  it('charges shipping per country below the free-shipping threshold', () => {
    const us = quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'US');
    expect(us.shippingCents).toBe(595);
    const au = quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'AU');
    expect(au.shippingCents).toBe(1495);
  });

  it('ships free at or over the threshold, and never where no threshold is set', () => {
    // $18 × 3 = $54 ≥ US threshold $50; exactly $60 (= GB threshold) is free too.
    expect(quoteOrder([{ sku: 'GL-CLN-GEL-150', quantity: 3 }], 'US').shippingCents).toBe(0);
    expect(quoteOrder([{ sku: 'GL-CLN-GEL-300', quantity: 2 }], 'GB').shippingCents).toBe(0);
    expect(quoteOrder([{ sku: 'GL-CLN-GEL-300', quantity: 1 }], 'GB').shippingCents).toBe(795);
    expect(quoteOrder([{ sku: 'GL-CLN-GEL-300', quantity: 99 }], 'JP').shippingCents).toBe(1295);
  });

  it('computes tax on the subtotal per country and totals everything', () => {
    const gb = quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'GB');
    expect(gb).toMatchObject({
      subtotalCents: 1400,
      shippingCents: 795,
      taxCents: 280,
      totalCents: 2475,
      currency: 'USD',
    });
    const de = quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'DE');
    expect(de.taxCents).toBe(266);
  });

  it('rounds tax half-up in whole cents', () => {
    // 1400 × 7.25% = 101.5 → 102; 1800 × 7.25% = 130.5 → 131; 1000 × 7.25% = 72.5 → 73.
    expect(quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'US').taxCents).toBe(102);
    expect(taxOn(1800, 0.0725)).toBe(131);
    expect(taxOn(1000, 0.0725)).toBe(73);
    expect(taxOn(1001, 0.0725)).toBe(73); // 72.57 → 73
    expect(taxOn(1010, 0.0725)).toBe(73); // 73.225 → 73
    expect(taxOn(0, 0.2)).toBe(0);
  });

  it('quotes an empty cart as zero', () => {
    expect(quoteOrder([], 'US')).toMatchObject({ subtotalCents: 0, shippingCents: 0, taxCents: 0, totalCents: 0 });
  });

  it('knows about ten countries by ISO code', () => {
    expect(COUNTRIES.length).toBeGreaterThanOrEqual(10);
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('gb')).toBe(false);
  });

  it('formats cents as dollars', () => {
    expect(formatMoney(1250)).toBe('$12.50');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(123456)).toBe('$1,234.56');
  });
});
