'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { findKnownSku, useCart, useCartHydrated, type CartLine } from '@/lib/shop/client/cart-store';
import { cartPropsWith } from '@/lib/shop/domain/plan-items';
import { track } from '@/lib/tracking/browser';

/**
 * Replaces this browser's cart with the saved lines, tracks Cart Restored and opens the cart. Waits for the
 * stored cart to load first, or the late hydration would put the old cart back over the restored one.
 */
export function RestoreCartButton({ lines, tokenId }: { lines: CartLine[]; tokenId: string }) {
  const hydrated = useCartHydrated();
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  function restore() {
    setBusy(true);
    useCart.getState().replace(lines);
    track('Cart Restored', {
      ...cartPropsWith(useCart.getState().lines, window.location.origin, findKnownSku),
      ...(tokenId ? { restore_token_id: tokenId } : {}),
    });
    router.push('/cart');
  }

  return (
    <button type="button" onClick={restore} disabled={!hydrated || busy} className="btn-primary mt-6 w-full sm:w-auto">
      {busy ? 'Restoring…' : hydrated ? 'Restore this cart' : 'Loading…'}
    </button>
  );
}
