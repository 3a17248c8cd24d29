import type { Metadata } from 'next';
import { CartNotices } from '@/components/cart/cart-notices';
import { CartView } from '@/components/cart/cart-view';

export const metadata: Metadata = { title: 'Your cart' };

export default function CartPage() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight">Your cart</h1>
      <CartNotices className="mt-6" />
      <CartView />
    </div>
  );
}
