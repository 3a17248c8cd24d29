import { Link } from '@/components/layout/link';
import { CartLink } from '@/components/cart/cart-link';
import { CollectionNavItems } from '@/components/layout/collection-nav-items';
import { HeaderMenu } from '@/components/layout/header-menu';
import { SearchForm } from '@/components/search/search-form';
import { SkipLink } from '@/components/layout/skip-link';

function NavItems({ className }: { className: string }) {
  return (
    <ul className={className}>
      <CollectionNavItems />
      <li>
        <Link href="/quiz" className="font-medium text-brand hover:text-brand-dark">
          Skin quiz
        </Link>
      </li>
    </ul>
  );
}

/**
 * One row at every width. From md up: logo, navigation, search, account, cart. On phones: logo, cart and a
 * Menu button whose panel holds the search field, the navigation and the account link.
 */
export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-b border-stone-200 bg-cream/95 backdrop-blur">
      <SkipLink />
      <div className="relative mx-auto flex max-w-6xl items-center gap-x-3 px-4 py-3 sm:gap-x-6 sm:px-6">
        <Link href="/" className="text-xl font-semibold tracking-tight">
          Glow<span className="text-brand">lab</span>
        </Link>
        <nav aria-label="Main" className="hidden md:block">
          <NavItems className="flex items-center gap-x-5 text-sm text-stone-700" />
        </nav>
        <div className="ml-auto flex items-center gap-1">
          <SearchForm id="header-search" className="hidden w-56 md:flex lg:w-64" />
          <Link
            href="/account"
            className="hidden rounded-full px-3 py-2 text-sm font-medium hover:bg-stone-100 md:inline-flex"
          >
            Account
          </Link>
          <CartLink />
          <HeaderMenu>
            <SearchForm id="menu-search" className="py-2" />
            <nav aria-label="Main" className="mt-2">
              <NavItems className="flex flex-col text-base text-stone-800 [&_a]:block [&_a]:py-2.5" />
            </nav>
            <Link href="/account" className="block border-t border-stone-200 py-2.5 text-base font-medium">
              Account
            </Link>
          </HeaderMenu>
        </div>
      </div>
    </header>
  );
}
