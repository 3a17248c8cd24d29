'use client';

import { Link } from '@/components/layout/link';
import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import { changeCart } from '@/lib/shop/client/cart-change';
import { findKnownSku, type CartLine } from '@/lib/shop/client/cart-store';

type Props = {
  /** What one press adds: one line, or a whole routine in one cart update. */
  lines: CartLine[];
  /** Extra words for screen readers when several buttons share a page ("Add Niacinamide 10% Serum to cart"). */
  itemName?: string;
  /** The visible label; "Add to cart" unless given. */
  children?: ReactNode;
  className?: string;
  /** Not yet pressable (the page has not read what it adds): shown disabled, a press does nothing. */
  disabled?: boolean;
  /** What the add's events wait for: the page's Product Viewed, so the pipeline never gets the add before the view. */
  trackAfter?: RefObject<Promise<unknown> | null>;
};

/** The cart's tracking (its events and their server mirrors): loaded after hydration, not in the first load. */
const loadCartTracking = () => import('@/lib/shop/client/cart');
/** The sentence after a press, likewise: fetched once the button is on screen, long before it is pressed. */
const loadAddedMessage = () => import('@/lib/shop/domain/added-message');

/**
 * The one place a shopper adds to the cart. Confirms politely with what really went in (less at the 99 cap,
 * and it says why) and a link to the cart. The line goes into the cart at once; the tracking code is fetched once
 * the button is on screen and tracks the add as soon as it is there.
 */
export function AddToCartButton({ lines, itemName, children, className = 'btn-primary', disabled, trackAfter }: Props) {
  const [result, setResult] = useState<{ message: string; press: number } | null>(null);
  useEffect(() => {
    void loadCartTracking().catch(() => undefined);
    void loadAddedMessage().catch(() => undefined);
  }, []);

  function handleAdd() {
    const { lines: cart, changes } = changeCart((c) => c.add(...lines));
    const say = (message: string) => setResult((prev) => ({ message, press: (prev?.press ?? 0) + 1 }));
    // Offline before the sentence's code arrived: the cart still changed, and says so without detail.
    void loadAddedMessage()
      .then(({ addedMessage }) => say(addedMessage(lines, changes, cart, findKnownSku)))
      .catch(() => say('Your cart was updated.'));
    // Tracking never holds up the cart; a failed load (offline) loses the events, as a blocked SDK would.
    void Promise.all([loadCartTracking(), trackAfter?.current])
      .then(([{ trackCartChanges }]) => trackCartChanges(cart, changes))
      .catch(() => undefined);
  }

  return (
    <div className="flex flex-col gap-2">
      <button type="button" className={className} onClick={handleAdd} disabled={disabled}>
        {children ?? <>Add{itemName && <span className="sr-only"> {itemName}</span>} to cart</>}
      </button>
      <p role="status" className="min-h-5 text-sm text-stone-600">
        {result && (
          // Keyed by the press: the same sentence twice is still announced twice.
          <span key={result.press}>
            {result.message}{' '}
            <Link href="/cart" className="font-medium text-brand underline underline-offset-2">
              View cart
            </Link>
          </span>
        )}
      </p>
    </div>
  );
}
