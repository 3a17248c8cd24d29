'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { clickNavigation, NAV_ATTRIBUTE, prefetchRoute } from './link-intercept';

const anchorOf = (target: EventTarget | null) =>
  target instanceof Element ? target.closest<HTMLAnchorElement>(`a[${NAV_ATTRIBUTE}]`) : null;

/**
 * The client side of every <Link> (./link.tsx) on a storefront page, rendered once in ShopChrome: a click on one is a
 * client-side navigation (router.push, in a transition, as next/link's), and pointing at, focusing or touching one
 * prefetches its route. Clicks are read on window, after React's handlers on the document: one that prevented the
 * default is left alone.
 */
export function LinkNavigation() {
  const router = useRouter();
  useEffect(() => {
    const origin = window.location.origin;
    let pointedAt: HTMLAnchorElement | null = null;
    const onClick = (event: MouseEvent) => {
      const anchor = anchorOf(event.target);
      const navigation = anchor && clickNavigation(event, anchor, origin);
      if (!navigation) return;
      event.preventDefault();
      router.push(navigation.href, { scroll: navigation.scroll });
    };
    const prefetch = (anchor: HTMLAnchorElement | null) => {
      const route = anchor && prefetchRoute(anchor, origin);
      if (route) router.prefetch(route);
    };
    // mouseover bubbles (mouseenter does not): once per link entered, not per child element crossed.
    const onOver = (event: MouseEvent) => {
      const anchor = anchorOf(event.target);
      if (anchor === pointedAt) return;
      pointedAt = anchor;
      prefetch(anchor);
    };
    const onIntent = (event: Event) => prefetch(anchorOf(event.target));
    window.addEventListener('click', onClick);
    document.addEventListener('mouseover', onOver);
    document.addEventListener('focusin', onIntent);
    document.addEventListener('touchstart', onIntent, { passive: true });
    return () => {
      window.removeEventListener('click', onClick);
      document.removeEventListener('mouseover', onOver);
      document.removeEventListener('focusin', onIntent);
      document.removeEventListener('touchstart', onIntent);
    };
  }, [router]);
  return null;
}
