import type { AnchorHTMLAttributes } from 'react';
import { NAV_ATTRIBUTE, NO_PREFETCH_ATTRIBUTE, NO_SCROLL_ATTRIBUTE } from './link-intercept';

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string;
  /** false: keep the scroll position (next/link's `scroll`). */
  scroll?: boolean;
  /** false: never prefetch, not even on intent. */
  prefetch?: boolean;
};

/**
 * The storefront's link: a plain <a>, taken as a client-side navigation and prefetched on intent (pointer over it,
 * keyboard focus, touch) by one listener for the whole page (LinkNavigation, in ShopChrome), as next/link would.
 * Not a client component: next/link hydrated every link of a page as two components with about a dozen hooks
 * (35 on the home page), and carried each one into the page's RSC payload as a client reference, for a click
 * handler. Prefetching on intent rather than in view, as Remix and Shopify Hydrogen do: viewport prefetching
 * fetched every visible link's route while the page was still loading. Before hydration a link loads the page in
 * full, as next/link's did.
 */
export function Link({ href, scroll, prefetch, ...props }: LinkProps) {
  return (
    <a
      {...props}
      href={href}
      {...{ [NAV_ATTRIBUTE]: '' }}
      {...(scroll === false && { [NO_SCROLL_ATTRIBUTE]: '' })}
      {...(prefetch === false && { [NO_PREFETCH_ATTRIBUTE]: '' })}
    />
  );
}
