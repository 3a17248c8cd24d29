'use client';

import { useState } from 'react';
import { track } from '@/lib/tracking/browser';
import { cartPayload } from '@/lib/tracking/plan';
import { PRODUCT } from './product';

/** The one button: tracks Added to Cart with the whole (in-memory) cart, as the tracking plan asks. */
export function AddToCartButton() {
  const [quantity, setQuantity] = useState(0);

  function add() {
    const next = quantity + 1;
    // The plan wants absolute URLs (a recovery email links to them); only the browser knows its origin here.
    const origin = window.location.origin;
    const { sku, variant_id, product_id, name, price, currency } = PRODUCT;
    const line = { sku, variant_id, product_id, name, price, quantity: next };
    track('Added to Cart', {
      added: { sku, variant_id, quantity: 1 },
      ...cartPayload([{ ...line, image_url: `${origin}${PRODUCT.image}`, product_url: `${origin}/` }], currency),
    });
    setQuantity(next);
  }

  return (
    <div>
      <button type="button" onClick={add}>
        Add to cart
      </button>
      <p role="status">{quantity === 0 ? 'Your cart is empty.' : `${quantity} in your cart.`}</p>
    </div>
  );
}
