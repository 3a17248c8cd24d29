'use client';

import { useEffect, useRef } from 'react';
import type { placeOrder } from '@/lib/shop/actions/checkout';

/** The order this checkout attempt already placed, for another cart, country or address than the one now sent. */
type AlreadyPlaced = Extract<Awaited<ReturnType<typeof placeOrder>>, { alreadyPlaced: object }>['alreadyPlaced'];
/** That order and the sentence about it, for the checkout to show once its items left the cart (maybe all of it). */
export type EarlierOrder = Pick<AlreadyPlaced, 'orderNumber' | 'url'> & { message: string };

/** The order Place order's failure says this attempt already placed, if it says so. */
export const alreadyPlacedIn = (failure: object | undefined) =>
  // useActionForm types every failure as ActionFailure (the action's richer ones are subtypes of it).
  failure && 'alreadyPlaced' in failure ? (failure.alreadyPlaced as AlreadyPlaced) : undefined;

/** The link to that order: in the form's alert beside Place order's sentence, and in the notice below. */
export function ViewOrderLink({ order }: { order: Pick<AlreadyPlaced, 'orderNumber' | 'url'> }) {
  return (
    <a href={order.url} className="font-medium underline">
      View order {order.orderNumber}
    </a>
  );
}

/**
 * The order this checkout had already placed, for the empty checkout its items left (CheckoutForm): focused, as the
 * Place order button that had focus went with this form.
 */
export function EarlierOrderNotice({ order }: { order: EarlierOrder }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p ref={ref} role="status" tabIndex={-1} className="mb-8 rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-800">
      {order.message} <ViewOrderLink order={order} />
    </p>
  );
}
