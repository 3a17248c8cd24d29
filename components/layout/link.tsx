'use client';

import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

type LinkProps = Omit<ComponentProps<typeof NextLink>, 'href'> & { href: string };

/**
 * The storefront's link: next/link, prefetching on intent (pointer over it, keyboard focus, touch) instead of as soon
 * as it scrolls into view, as Remix and Shopify Hydrogen do. Viewport prefetching fetched every visible link's
 * route (its tree, then each segment: about ten requests on the home page) while the page was still loading, and
 * handled each answer on the main thread, which on a phone is the page's own start-up time. The pages are
 * prerendered, so a link taken unprefetched is one small request. `prefetch={false}` still means never.
 */
export function Link({ href, prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: LinkProps) {
  const router = useRouter();
  const prefetchOnIntent = () => {
    // Same-origin paths only: a protocol-relative or absolute URL is not a route of this app.
    if (prefetch !== false && href.startsWith('/') && !href.startsWith('//')) router.prefetch(href);
  };
  return (
    <NextLink
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        prefetchOnIntent();
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        prefetchOnIntent();
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        prefetchOnIntent();
        onTouchStart?.(event);
      }}
    />
  );
}
