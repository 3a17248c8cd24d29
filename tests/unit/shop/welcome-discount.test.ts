import { describe, expect, it } from 'vitest';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { welcomeDiscountOn } from '@/lib/shop/domain/pricing';
import { isWelcomeCode, normalizeCode, unappliedCode, WELCOME_CODE } from '@/lib/shop/domain/welcome-code';

// Catalogue prices: GL-CLN-GEL-150 $18.00, GL-CLN-GEL-300 $30.00, GL-SER-NIA-15 $14.00.
describe('welcome discount', () => {
  it('is 10% of the subtotal in whole cents, rounded half up', () => {
    expect(welcomeDiscountOn(1805)).toBe(181); // 180.5
    expect(welcomeDiscountOn(1804)).toBe(180); // 180.4
    expect(welcomeDiscountOn(1806)).toBe(181); // 180.6
    expect(welcomeDiscountOn(5)).toBe(1); // 0.5
    expect(welcomeDiscountOn(4)).toBe(0);
    expect(welcomeDiscountOn(0)).toBe(0);
  });

  it('reads the code case-insensitively and trimmed', () => {
    expect(normalizeCode('  welcome10 ')).toBe(WELCOME_CODE);
    expect(isWelcomeCode('Welcome10')).toBe(true);
    expect(isWelcomeCode('WELCOME 10')).toBe(false);
  });

  it('reads a pasted code without its invisible characters, and full-width letters and digits as ASCII', () => {
    // Copied from an email with a zero-width space, a BOM or no-break spaces around it; typed on a Japanese keyboard.
    for (const typed of [
      'WELCOME10\u200b',
      '\ufeffwelcome10',
      '\u00a0Welcome10\u00a0',
      'ＷＥＬＣＯＭＥ１０',
      'ｗｅｌｃｏｍｅ10',
    ])
      expect(isWelcomeCode(typed), JSON.stringify(typed)).toBe(true);
    expect(isWelcomeCode('WELCOME1O')).toBe(false);
  });

  it('tells Place order when the field holds another code than the one the total was quoted with', () => {
    expect(unappliedCode(' welcome10 ', 'WELCOME10')).toBeUndefined();
    expect(unappliedCode('', '')).toBeUndefined();
    expect(unappliedCode('welcome10', '')).toBe(WELCOME_CODE); // typed, never applied
    expect(unappliedCode('', 'WELCOME10')).toBe(''); // applied, then removed
    expect(unappliedCode('SAVE50', 'WELCOME10')).toBe('SAVE50');
  });

  it('comes off the merchandise before tax; shipping is neither discounted nor taxed', () => {
    // $14 to the US: discount $1.40, tax 7.25% of $12.60 = 91.35 → 91, shipping $5.95.
    const q = quoteOrder([{ sku: 'GL-SER-NIA-15', quantity: 1 }], 'US', WELCOME_CODE);
    expect(q).toMatchObject({ subtotalCents: 1400, discountCents: 140, discountCode: WELCOME_CODE });
    expect(q).toMatchObject({ shippingCents: 595, taxCents: 91, totalCents: 1260 + 595 + 91 });
  });

  it('keeps free shipping on the subtotal before the discount: a code never raises a total', () => {
    // $54 ≥ $50 ships free; after 10% the goods are $48.60, still free.
    const cart = [{ sku: 'GL-CLN-GEL-150', quantity: 3 }];
    const plain = quoteOrder(cart, 'US');
    const coded = quoteOrder(cart, 'US', WELCOME_CODE);
    expect(coded.shippingCents).toBe(0);
    expect(coded.taxCents).toBe(352); // 7.25% of 4860 = 352.35
    expect(coded.totalCents).toBe(4860 + 352);
    expect(coded.totalCents).toBeLessThan(plain.totalCents);
  });

  it('without a code prices exactly as before', () => {
    const q = quoteOrder([{ sku: 'GL-CLN-GEL-150', quantity: 3 }], 'US');
    expect(q).toMatchObject({ discountCents: 0, discountCode: null, totalCents: 5400 + 392 });
  });
});
