import { ShopChrome } from '@/components/layout/shop-chrome';
import { DiscoverLinks } from '@/components/layout/discover-links';

// Unmatched URLs render outside the (shop) group, so the page brings the shop's chrome itself.
export default function NotFound() {
  return (
    <ShopChrome>
      <div className="mx-auto flex max-w-xl flex-col items-center px-4 py-24 text-center">
        <p className="text-sm font-semibold tracking-widest text-brand uppercase">404</p>
        <h1 className="mt-3 text-3xl font-semibold tracking-tight">We couldn&apos;t find that page</h1>
        <p className="mt-3 text-stone-600">
          The product or page may have moved. Try a collection, or let the quiz pick for you.
        </p>
        <DiscoverLinks className="mt-8" />
      </div>
    </ShopChrome>
  );
}
