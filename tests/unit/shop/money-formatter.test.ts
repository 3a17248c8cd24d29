import { afterEach, describe, expect, it, vi } from 'vitest';

// The collection filters' island reads the router (to push a view's URL); nothing here follows it.
vi.mock('next/navigation', () => ({ useRouter: () => ({ push: () => {} }), usePathname: () => '/collections/serums' }));

const RealNumberFormat = Intl.NumberFormat;

/** Counts the Intl.NumberFormat objects made from now on (restored after each test). */
function countNumberFormats() {
  const made = { count: 0 };
  Intl.NumberFormat = class extends RealNumberFormat {
    constructor(...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      super(...args);
      made.count++;
    }
  } as typeof Intl.NumberFormat;
  return made;
}

// A browser's first currency formatter loads ICU's currency data: tens of milliseconds of main thread, in one task
// (lib/shop/domain/money.ts). Loading the module must not build it (the tracking plan's items and the email popup
// import it for CURRENCY only), and a product or collection page's client island must not format a price while it
// hydrates.
describe('money formatter', () => {
  afterEach(() => {
    Intl.NumberFormat = RealNumberFormat;
  });

  it('builds no Intl.NumberFormat when loaded, one on the first price, and reuses it', async () => {
    vi.resetModules();
    const made = countNumberFormats();
    const { formatMoney } = await import('@/lib/shop/domain/money');
    expect(made.count).toBe(0);
    expect(formatMoney(1250)).toBe('$12.50');
    expect(formatMoney(100_000)).toBe('$1,000.00');
    expect(made.count).toBe(1);
  });

  it("shows the product page's prices, formatted by the server, without formatting any in the island", async () => {
    const { getProductByHandle } = await import('@/lib/shop/domain/catalog');
    const { toPurchasable, variantPrices } = await import('@/lib/shop/domain/catalog/product-helpers');
    const product = getProductByHandle('gentle-gel-cleanser')!;
    const prices = variantPrices(product);
    expect(prices).toEqual({ var_gentle_gel_cleanser_150: '$18.00', var_gentle_gel_cleanser_300: '$30.00' });

    vi.resetModules();
    const made = countNumberFormats();
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const { ProductPurchase } = await import('@/components/product/product-purchase');
    const html = renderToString(createElement(ProductPurchase, { product: toPurchasable(product), prices }));
    const text = html.replace(/<[^>]*>/g, '');
    expect(text).toContain('$18.00Size150 ml · $18.00300 ml · $30.00');
    expect(made.count).toBe(0);
  });

  it("shows a collection's price bands, labelled by the server, without formatting any in the filters' island", async () => {
    const { parseCollectionView, priceRangeLabels } = await import('@/lib/shop/domain/filters');
    const priceLabels = priceRangeLabels();
    expect(priceLabels).toEqual({ 'under-20': 'Under $20.00', '20-40': '$20.00 to $40.00', 'over-40': 'Over $40.00' });

    vi.resetModules();
    const made = countNumberFormats();
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const { CollectionFilters } = await import('@/components/collection/collection-filters');
    const html = renderToString(createElement(CollectionFilters, { view: parseCollectionView({}), priceLabels }));
    expect(html.replace(/<[^>]*>/g, '')).toContain('Any priceUnder $20.00$20.00 to $40.00Over $40.00');
    expect(made.count).toBe(0);
  });
});
