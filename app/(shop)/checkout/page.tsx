import type { Metadata } from 'next';
import { CartNotices } from '@/components/cart/cart-notices';
import { CheckoutForm } from '@/components/checkout/checkout-form';
import { currentCustomer } from '@/lib/shop/server/auth/session';

export const metadata: Metadata = { title: 'Checkout', robots: { index: false } };

export default async function CheckoutPage() {
  const customer = await currentCustomer();
  return (
    <div className="mx-auto max-w-6xl px-4 py-12 sm:px-6">
      <h1 className="mb-8 text-3xl font-semibold tracking-tight">Checkout</h1>
      <CartNotices className="mb-8" />
      <CheckoutForm account={customer && { id: customer.id, email: customer.email, name: customer.name }} />
    </div>
  );
}
