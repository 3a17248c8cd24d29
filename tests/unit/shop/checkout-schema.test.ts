import { describe, expect, it } from 'vitest';
import { listProducts } from '@/lib/shop/domain/catalog';
import { checkoutSchema, quoteInputSchema } from '@/lib/shop/domain/checkout-schema';
import { newPasswordField } from '@/lib/shop/domain/fields';

const valid = {
  email: '  Ada@Example.COM ',
  name: 'Ada Lovelace',
  addressLine1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
  lines: [
    { sku: 'GL-CLN-GEL-150', quantity: 1 },
    { sku: 'GL-SER-NIA-30', quantity: 2 },
  ],
  quote: { country: 'GB', totalCents: 9999, lines: [] },
  idempotencyKey: '0f8fad5b-d9cb-469f-a165-70867728950e',
};

function problems(input: unknown) {
  const r = checkoutSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('checkout input schema', () => {
  it('accepts a valid checkout and normalises the email', () => {
    const r = checkoutSchema.parse(valid);
    expect(r.email).toBe('ada@example.com');
    expect(r.lines).toHaveLength(2);
  });

  it('drops price-like fields sent with a line', () => {
    const r = checkoutSchema.parse({
      ...valid,
      lines: [{ sku: 'GL-CLN-GEL-150', quantity: 1, priceCents: 1, price: 1 }],
    });
    expect(r.lines[0]).toEqual({ sku: 'GL-CLN-GEL-150', quantity: 1 });
  });

  it('rejects a bad email with an actionable message', () => {
    expect(problems({ ...valid, email: 'ada-at-example' })).toEqual([
      { path: 'email', message: expect.stringContaining('valid email') },
    ]);
  });

  it('rejects a NUL character, which PostgreSQL could not store, with a sentence instead of a failed save', () => {
    expect(problems({ ...valid, name: 'Ada\u0000', city: 'Spring\u0000field' })).toEqual([
      { path: 'name', message: 'Remove the control characters from your name.' },
      { path: 'city', message: 'Remove the control characters from your city.' },
    ]);
  });

  it('rejects other control characters, a line break or an escape a hand-made request sends, and keeps a tab', () => {
    expect(
      problems({ ...valid, name: 'Ada\nLovelace', city: 'Spring\u001b[2Jfield', addressLine1: '12\u0085Square' }),
    ).toEqual([
      { path: 'name', message: 'Remove the control characters from your name.' },
      { path: 'addressLine1', message: 'Remove the control characters from your street address.' },
      { path: 'city', message: 'Remove the control characters from your city.' },
    ]);
    expect(checkoutSchema.parse({ ...valid, addressLine1: '12\tSt James Square' }).addressLine1).toBe(
      '12\tSt James Square',
    );
  });

  it('rejects text-direction overrides, which make a name read as another, and keeps right-to-left text', () => {
    expect(problems({ ...valid, name: 'Ada \u202Enamreh', city: 'Spring\u2067field\u2069' })).toEqual([
      { path: 'name', message: 'Remove the text-direction control characters from your name.' },
      { path: 'city', message: 'Remove the text-direction control characters from your city.' },
    ]);
    const rtl = checkoutSchema.parse({ ...valid, name: 'שרה כהן', city: 'القاهرة\u200F' });
    expect([rtl.name, rtl.city]).toEqual(['שרה כהן', 'القاهرة\u200F']);
  });

  it('rejects a lone UTF-16 surrogate, which the databases would read back as other text, and keeps real emoji', () => {
    // '\uD800' is half of a surrogate pair: stored as bytes that read back as U+FFFD, not what the shopper sent.
    expect(problems({ ...valid, name: 'Ada \uD800', addressLine1: '12 \uDFFF Square' })).toEqual([
      { path: 'name', message: 'Your name has a broken character (half of an emoji or symbol): retype it.' },
      {
        path: 'addressLine1',
        message: 'Your street address has a broken character (half of an emoji or symbol): retype it.',
      },
    ]);
    expect(problems({ ...valid, email: 'ada\uD800@example.com' })).toEqual([
      { path: 'email', message: expect.stringContaining('valid email') },
    ]);
    const emoji = checkoutSchema.parse({ ...valid, name: 'Ada 🌸', city: 'Zürich 🇨🇭' });
    expect([emoji.name, emoji.city]).toEqual(['Ada 🌸', 'Zürich 🇨🇭']);
  });

  it('refuses a new password with a lone surrogate: hashed as UTF-8, every one would be the same character', () => {
    const refused = newPasswordField.safeParse('correct horse \uD800');
    expect(refused.error?.issues.map((i) => i.message)).toEqual([
      'Your password has a broken character (half of an emoji or symbol): retype it.',
    ]);
    expect(newPasswordField.parse('correct horse 🐴')).toBe('correct horse 🐴');
  });

  it('rejects a country we do not ship to', () => {
    expect(problems({ ...valid, country: 'XX' })).toEqual([
      { path: 'country', message: expect.stringContaining('country') },
    ]);
  });

  it.each([0, 100, 1.5])('rejects quantity %s', (quantity) => {
    const issues = problems({ ...valid, lines: [{ sku: 'GL-CLN-GEL-150', quantity }] });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('lines.0.quantity');
  });

  it('accepts the quantity bounds 1 and 99', () => {
    expect(
      problems({
        ...valid,
        lines: [
          { sku: 'GL-CLN-GEL-150', quantity: 1 },
          { sku: 'GL-SER-NIA-30', quantity: 99 },
        ],
      }),
    ).toEqual([]);
  });

  it('rejects a SKU that is not in the catalogue, naming it as a person knows it, never echoing it whole', () => {
    expect(problems({ ...valid, lines: [{ sku: 'GL-FAKE-1', quantity: 1 }] })).toEqual([
      { path: 'lines.0.sku', message: expect.stringContaining('An item ("GL-FAKE-1") in your cart is no longer sold') },
    ]);
    expect(problems({ ...valid, lines: [{ sku: 'GL-SER-NIA-60', quantity: 1 }] })).toEqual([
      { path: 'lines.0.sku', message: expect.stringContaining('A size of Niacinamide 10% Serum in your cart is no') },
    ]);
    const [huge] = problems({ ...valid, lines: [{ sku: 'X'.repeat(100_000), quantity: 1 }] });
    expect(huge!.message.length).toBeLessThan(150);
  });

  it('rejects an empty cart and a cart of more than 20 different items', () => {
    expect(problems({ ...valid, lines: [] })).toEqual([
      { path: 'lines', message: expect.stringContaining('cart is empty') },
    ]);
    const different = listProducts()
      .flatMap((p) => p.variants.map((v) => ({ sku: v.sku, quantity: 1 })))
      .slice(0, 21);
    expect(problems({ ...valid, lines: different })).toEqual([
      { path: 'lines', message: 'An order can hold at most 20 different items.' },
    ]);
    expect(quoteInputSchema.safeParse({ lines: different, country: 'US' }).error?.issues[0]?.message).toBe(
      'An order can hold at most 20 different items.',
    );
  });

  it('counts different items once lines of one SKU are merged: 21 lines of one SKU are one item', () => {
    const same = Array.from({ length: 21 }, () => ({ sku: 'GL-CLN-GEL-150', quantity: 1 }));
    expect(checkoutSchema.parse({ ...valid, lines: same }).lines).toEqual([{ sku: 'GL-CLN-GEL-150', quantity: 21 }]);
    expect(quoteInputSchema.parse({ lines: same, country: 'US' }).lines).toEqual([
      { sku: 'GL-CLN-GEL-150', quantity: 21 },
    ]);
  });

  it('merges lines of the same SKU and caps the item at 99 (3 lines × 99 is 99)', () => {
    const sku = 'GL-CLN-GEL-150';
    const three = [1, 2, 3].map(() => ({ sku, quantity: 99 }));
    expect(checkoutSchema.parse({ ...valid, lines: three }).lines).toEqual([{ sku, quantity: 99 }]);
    const split = [
      { sku, quantity: 2 },
      { sku: 'GL-SER-NIA-30', quantity: 1 },
      { sku, quantity: 3 },
    ];
    expect(checkoutSchema.parse({ ...valid, lines: split }).lines).toEqual([
      { sku, quantity: 5 },
      { sku: 'GL-SER-NIA-30', quantity: 1 },
    ]);
  });

  describe('state or province', () => {
    it.each([
      ['US', 'OR'],
      ['CA', 'QC'],
      ['AU', 'NSW'],
    ])('is required in %s and kept (%s)', (country, region) => {
      expect(checkoutSchema.parse({ ...valid, country, region: ` ${region} ` }).region).toBe(region);
      expect(problems({ ...valid, country })).toEqual([
        {
          path: 'region',
          message: expect.stringMatching(/^Choose your (state|province or territory|state or territory)\.$/),
        },
      ]);
    });

    it('must be on the country’s list', () => {
      expect(problems({ ...valid, country: 'US', region: 'ON' })).toEqual([
        { path: 'region', message: 'Choose a state from the list.' },
      ]);
      expect(problems({ ...valid, country: 'CA', region: 'OR' })).toEqual([
        { path: 'region', message: 'Choose a province or territory from the list.' },
      ]);
    });

    it('is dropped for countries that do not use one', () => {
      expect(checkoutSchema.parse({ ...valid, country: 'SE', region: 'OR' }).region).toBeNull();
      expect(checkoutSchema.parse({ ...valid, country: 'GB' }).region).toBeNull();
    });

    it('is reported together with the other missing fields', () => {
      expect(problems({ ...valid, country: 'US', city: ' ' }).map((p) => p.path)).toEqual(['city', 'region']);
    });
  });

  it('needs the quote the shopper saw and the checkout attempt’s key', () => {
    expect(problems({ ...valid, quote: undefined, idempotencyKey: undefined }).map((p) => p.path)).toEqual([
      'quote',
      'idempotencyKey',
    ]);
    expect(problems({ ...valid, quote: { ...valid.quote, totalCents: 12.5 } })[0]?.path).toBe('quote.totalCents');
    expect(problems({ ...valid, idempotencyKey: 'not-a-uuid' })[0]?.path).toBe('idempotencyKey');
  });

  it('says the cart could not be read when a line is not a line at all', () => {
    for (const line of [null, 'GL-CLN-GEL-150', 3, []]) {
      expect(problems({ ...valid, lines: [line] })).toEqual([
        { path: 'lines.0', message: 'Your cart could not be read. Refresh the page and try again.' },
      ]);
    }
  });

  it('never throws on malformed input', () => {
    for (const input of [null, 'x', 42, { lines: 'nope' }, { ...valid, lines: [null] }]) {
      expect(checkoutSchema.safeParse(input).success).toBe(false);
    }
  });
});
