import { NextRequest, NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import { ACQUISITION_COOKIE, applyAcquisitionSource, parseAcquisitionSource } from '@/lib/shop/server/acquisition';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { toPurchasable } from '@/lib/shop/domain/catalog/product-helpers';
import { cartProps, orderCompletedProps, productViewedProps } from '@/lib/shop/domain/tracking-items';
import { checkAgainstPlan, SCHEMA_VERSION } from '@/lib/tracking/plan';

const ORIGIN = 'https://shop.example';
const valid = (event: string, properties: object) =>
  checkAgainstPlan({ type: 'track', event, properties: { ...properties, schema_version: SCHEMA_VERSION } }).violations;

describe('shop → plan mapping', () => {
  it('prices the cart from the catalogue, in major units, with absolute URLs', () => {
    const cart = cartProps(
      [
        { sku: 'GL-SER-NIA-30', quantity: 2 },
        { sku: 'GL-BUN-BARRIER', quantity: 1 },
      ],
      ORIGIN,
    );
    expect(cart).toMatchObject({ cart_value: 112, item_count: 3, currency: 'USD' });
    expect(cart.items[0]).toEqual({
      sku: 'GL-SER-NIA-30',
      variant_id: 'var_niacinamide_serum_30',
      product_id: findVariantBySku('GL-SER-NIA-30')!.product.id,
      name: 'Niacinamide 10% Serum',
      variant_name: '30 ml',
      quantity: 2,
      price: 24,
      image_url: `${ORIGIN}/products/niacinamide-serum.svg`,
      product_url: `${ORIGIN}/products/niacinamide-serum?variant=var_niacinamide_serum_30`,
    });
    expect(valid('Checkout Started', { ...cart, shipping_country: 'US' })).toEqual([]);
    expect(
      valid('Added to Cart', {
        added: { sku: 'GL-SER-NIA-30', variant_id: 'var_niacinamide_serum_30', quantity: 2 },
        ...cart,
      }),
    ).toEqual([]);
  });

  it('builds Product Viewed and Order Completed that pass the plan', () => {
    const { product, variant } = findVariantBySku('GL-CLN-GEL-300')!;
    const viewed = productViewedProps(product, variant, ORIGIN);
    expect(viewed).toMatchObject({ name: 'Gentle Gel Cleanser', variant_name: '300 ml', price: 30 });
    expect(valid('Product Viewed', viewed)).toEqual([]);
    // The product page's island sends it from the slimmed product it is given: the same event.
    const island = toPurchasable(product);
    expect(productViewedProps(island, variant, ORIGIN)).toEqual(viewed);
    expect(island).not.toHaveProperty('description');
    expect(island).not.toHaveProperty('ingredients');
    const order = {
      id: 'ord_1',
      subtotal_cents: 3000,
      shipping_cents: 595,
      tax_cents: 218,
      total_cents: 3813,
      currency: 'USD',
      lines: [
        {
          sku: 'GL-CLN-GEL-300',
          variant_id: variant.id,
          product_id: product.id,
          name: product.name,
          variant_name: variant.name,
          quantity: 1,
          unit_price_cents: 3000,
        },
      ],
    };
    const props = orderCompletedProps(order, ORIGIN);
    expect(props).toMatchObject({ order_id: 'ord_1', subtotal: 30, shipping: 5.95, tax: 2.18, total: 38.13 });
    expect(props.items[0]?.variant_name).toBe('300 ml');
    expect(valid('Order Completed', props)).toEqual([]);
  });
});

describe('first-touch acquisition source', () => {
  const request = (url: string, cookie = '') =>
    new NextRequest(url, {
      headers: { accept: 'text/html', 'sec-fetch-dest': 'document', ...(cookie ? { cookie } : {}) },
    });
  const setCookie = (req: NextRequest) =>
    applyAcquisitionSource(req, NextResponse.next(), 'opt-out').cookies.get(ACQUISITION_COOKIE)?.value;

  it('keeps a tidy utm_source from the landing page, and only the first', () => {
    expect(setCookie(request('https://shop.example/?utm_source=TikTok'))).toBe('tiktok');
    expect(
      setCookie(request('https://shop.example/?utm_source=google', `${ACQUISITION_COOKIE}=tiktok`)),
    ).toBeUndefined();
    expect(setCookie(request('https://shop.example/products/x'))).toBeUndefined();
    expect(parseAcquisitionSource('<script>')).toBeNull();
  });

  it('stores nothing without consent in opt-in mode or after a decline', () => {
    const url = 'https://shop.example/?utm_source=tiktok';
    expect(
      applyAcquisitionSource(request(url), NextResponse.next(), 'opt-in').cookies.get(ACQUISITION_COOKIE),
    ).toBeUndefined();
    expect(setCookie(request(url, 'glowlab_consent=denied'))).toBeUndefined();
  });
});
