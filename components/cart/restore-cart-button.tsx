'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { recordCartRestore } from '@/lib/shop/actions/cart';
import { findKnownSku, useCart, useCartHydrated, type CartLine } from '@/lib/shop/client/cart-store';
import { mirrorOnServer } from '@/lib/shop/client/mirror';
import { cartPropsWith } from '@/lib/shop/domain/plan-items';
import { track } from '@/lib/tracking/browser';

/**
 * Replaces this browser's cart with the saved lines, tracks Cart Restored (the server mirrors it from the token and
 * updates a known shopper's `cart` attribute, as after any cart change) and opens the cart. Waits for the stored
 * cart to load first, or the late hydration would put the old cart back over the restored one.
 */
export function RestoreCartButton({ lines, token, tokenId }: { lines: CartLine[]; token: string; tokenId: string }) {
  const hydrated = useCartHydrated();
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  function restore() {
    setBusy(true);
    useCart.getState().replace(lines);
    const messageId = track('Cart Restored', {
      ...cartPropsWith(useCart.getState().lines, window.location.origin, findKnownSku),
      ...(tokenId ? { restore_token_id: tokenId } : {}),
    });
    mirrorOnServer((ageMs) => recordCartRestore({ token, messageId, ageMs }));
    router.push('/cart');
  }

  return (
    <button type="button" onClick={restore} disabled={!hydrated || busy} className="btn-primary mt-6 w-full sm:w-auto">
      {busy ? 'Restoring…' : hydrated ? 'Restore this cart' : 'Loading…'}
    </button>
  );
}
