import { describe, expect, it } from 'vitest';
import { getCollectionByHandle, productsInCollection } from '@/lib/shop/domain/catalog';
import {
  bandsWithOwnCard,
  collectionViewQuery,
  filterProducts,
  parseCollectionView,
  priceRangeLabel,
  PRICE_RANGES,
  sizesInBand,
} from '@/lib/shop/domain/filters';

const serums = productsInCollection(getCollectionByHandle('serums')!);
const names = (view: Parameters<typeof parseCollectionView>[0]) =>
  filterProducts(serums, parseCollectionView(view)).map((p) => p.handle);

describe('collection filters', () => {
  it('keeps everything when nothing is chosen', () => {
    expect(names({})).toEqual(serums.map((p) => p.handle));
  });

  it('keeps products suiting any chosen skin type', () => {
    expect(names({ skin: 'oily' })).toEqual(['niacinamide-serum', 'hyaluronic-serum', 'vitamin-c-serum']);
    expect(names({ skin: ['sensitive', 'oily'] })).toEqual(serums.map((p) => p.handle));
    expect(names({ skin: 'sensitive' })).toEqual(['ceramide-serum', 'centella-calming-serum']);
  });

  it('keeps products with a size in the price band, bounds included', () => {
    // Niacinamide comes in $14 and $24: under $20 and $20–$40. Hyaluronic is $26 and $44.
    expect(names({ price: 'under-20' })).toEqual(['niacinamide-serum']);
    expect(names({ price: 'over-40' })).toEqual(['hyaluronic-serum', 'centella-calming-serum']);
    expect(names({ price: '20-40' })).toEqual(serums.map((p) => p.handle));
    expect(names({ skin: 'sensitive', price: 'over-40' })).toEqual(['centella-calming-serum']);
  });

  it("under a band, a product's card shows the sizes in it: a card of its own where only some are", () => {
    const byHandle = (handle: string) => serums.find((p) => p.handle === handle)!;
    const prices = (handle: string, band?: Parameters<typeof sizesInBand>[1]) =>
      sizesInBand(byHandle(handle).variants, band).map((v) => v.priceCents);
    expect(prices('hyaluronic-serum', 'over-40')).toEqual([4400]);
    expect(prices('hyaluronic-serum', '20-40')).toEqual([2600]);
    expect(prices('hyaluronic-serum')).toEqual([2600, 4400]);
    expect(prices('niacinamide-serum', 'over-40')).toEqual([]);
    expect(bandsWithOwnCard(byHandle('hyaluronic-serum').variants)).toEqual(['20-40', 'over-40']);
    // One size, or every size in one band: the usual card serves.
    expect(bandsWithOwnCard(byHandle('ceramide-serum').variants)).toEqual([]);
  });

  it('reads hand-edited URLs safely and writes them back short, in one order', () => {
    const view = parseCollectionView({ skin: ['sensitive', 'bogus', 'dry', 'dry'], price: 'free', sort: 'nope' });
    expect(view).toEqual({ skin: ['dry', 'sensitive'], price: undefined, sort: 'featured' });
    expect(collectionViewQuery(view)).toBe('?skin=dry&skin=sensitive');
    expect(collectionViewQuery(parseCollectionView({}))).toBe('');
    expect(collectionViewQuery(parseCollectionView({ price: 'over-40', sort: 'price-asc' }))).toBe(
      '?price=over-40&sort=price-asc',
    );
  });

  it('labels the price bands in dollars', () => {
    expect(PRICE_RANGES.map(priceRangeLabel)).toEqual(['Under $20.00', '$20.00 to $40.00', 'Over $40.00']);
  });
});
