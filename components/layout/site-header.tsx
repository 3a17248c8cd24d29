import Link from 'next/link';
import { CartLink } from '@/components/cart/cart-link';
import { CollectionNavItems } from '@/components/layout/discover-links';

export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-b border-stone-200 bg-cream/90 backdrop-blur">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-3 focus:left-4 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-xl font-semibold tracking-tight">
          Glow<span className="text-brand">lab</span>
        </Link>
        <nav aria-label="Main" className="order-last w-full sm:order-none sm:w-auto sm:flex-1">
          <ul className="flex flex-wrap items-center gap-x-5 gap-y-1 text-sm text-stone-700">
            <CollectionNavItems />
            <li>
              <Link href="/quiz" className="font-medium text-brand hover:text-brand-dark">
                Skin quiz
              </Link>
            </li>
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-1">
          <Link href="/account" className="rounded-full px-3 py-2 text-sm font-medium hover:bg-stone-100">
            Account
          </Link>
          <CartLink />
        </div>
      </div>
    </header>
  );
}
