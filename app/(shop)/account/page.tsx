import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AccountOrders } from '@/components/account/account-orders';
import { LogoutButton } from '@/components/account/logout-button';
import { currentCustomer } from '@/lib/shop/server/auth/session';
import { accountOrders } from '@/lib/shop/server/order-views';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const customer = await currentCustomer();
  if (!customer) redirect('/account/login');
  const orders = await accountOrders(customer.id);

  return (
    <div className="mx-auto max-w-3xl space-y-10 px-4 py-12 sm:px-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        {/* min-w-0: a flex item is otherwise as wide as its longest word, the email, whatever the wrapping. */}
        <div className="min-w-0">
          <h1 className="text-3xl font-semibold tracking-tight">Hello, {customer.name ?? 'there'}</h1>
          <p className="mt-1 text-stone-600">Signed in as {customer.email}</p>
        </div>
        <LogoutButton />
      </div>

      <section aria-labelledby="orders-heading" className="space-y-4">
        <h2 id="orders-heading" className="text-xl font-semibold">
          Your orders
        </h2>
        <AccountOrders orders={orders} />
        {/* Guest orders are listed only once an email is proven ours; there is no verification step yet. */}
        <p className="text-sm text-stone-500">
          Orders placed as a guest before you signed in are not listed here. Their confirmation links in your email
          still work.
        </p>
      </section>
    </div>
  );
}
