import { Link } from '@/components/layout/link';
import { CollectionNavItems } from '@/components/layout/collection-nav-items';
import { PrivacyChoicesButton } from '@/lib/tracking/privacy-choices-button';

export function SiteFooter() {
  return (
    <footer className="mt-24 border-t border-stone-200 bg-white">
      <div className="mx-auto grid max-w-6xl gap-10 px-4 py-12 text-sm sm:grid-cols-3 sm:px-6">
        <div>
          <p className="text-lg font-semibold">
            Glow<span className="text-brand">lab</span>
          </p>
          <p className="mt-2 max-w-xs text-stone-600">
            Simple, effective skincare routines. A demo shop: nothing here is for sale and no card is ever charged.
          </p>
        </div>
        <nav aria-label="Shop">
          <h2 className="font-semibold">Shop</h2>
          <ul className="mt-3 space-y-2 text-stone-600">
            <CollectionNavItems />
          </ul>
        </nav>
        <nav aria-label="Help">
          <h2 className="font-semibold">Help</h2>
          <ul className="mt-3 space-y-2 text-stone-600">
            <li>
              <Link href="/quiz" className="hover:text-stone-950">
                Find your routine
              </Link>
            </li>
            <li>
              <Link href="/account" className="hover:text-stone-950">
                Your account
              </Link>
            </li>
            <li>
              <Link href="/cart" className="hover:text-stone-950">
                Your cart
              </Link>
            </li>
            <li>
              <PrivacyChoicesButton className="hover:text-stone-950" />
            </li>
          </ul>
        </nav>
      </div>
      <p className="border-t border-stone-100 py-4 text-center text-xs text-stone-500">
        © Glowlab demo store. Prices in USD.
      </p>
    </footer>
  );
}
