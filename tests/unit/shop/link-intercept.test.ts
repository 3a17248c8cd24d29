import { describe, expect, it } from 'vitest';
import {
  clickNavigation,
  NAV_ATTRIBUTE,
  NO_PREFETCH_ATTRIBUTE,
  NO_SCROLL_ATTRIBUTE,
  prefetchRoute,
  type NavAnchor,
  type NavClick,
} from '@/components/layout/link-intercept';

const ORIGIN = 'https://shop.example';

function anchor(
  href: string,
  { target = '', attributes = [NAV_ATTRIBUTE] }: { target?: string; attributes?: string[] } = {},
): NavAnchor {
  return { href: new URL(href, ORIGIN).href, target, hasAttribute: (name) => attributes.includes(name) };
}
const click = (over: Partial<NavClick> = {}): NavClick => ({
  defaultPrevented: false,
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  ...over,
});

describe('a click on a storefront <Link>', () => {
  it('is a client-side navigation to its path, query and hash, scrolling to the top unless told not to', () => {
    expect(clickNavigation(click(), anchor('/products/a?variant=b#reviews'), ORIGIN)).toEqual({
      href: '/products/a?variant=b#reviews',
      scroll: true,
    });
    const noScroll = anchor('/collections/serums?sort=price', { attributes: [NAV_ATTRIBUTE, NO_SCROLL_ATTRIBUTE] });
    expect(clickNavigation(click(), noScroll, ORIGIN)).toEqual({
      href: '/collections/serums?sort=price',
      scroll: false,
    });
  });

  it('is left to the browser with a modifier key, another button, or once a handler prevented it', () => {
    const link = anchor('/cart');
    for (const over of [
      { metaKey: true },
      { ctrlKey: true },
      { shiftKey: true },
      { altKey: true },
      { button: 1 },
      { defaultPrevented: true },
    ]) {
      expect(clickNavigation(click(over), link, ORIGIN), JSON.stringify(over)).toBeNull();
    }
  });

  it('is left to the browser for another window, a download, another origin, or an <a> that is not a Link', () => {
    expect(clickNavigation(click(), anchor('/cart', { target: '_blank' }), ORIGIN)).toBeNull();
    expect(clickNavigation(click(), anchor('/cart', { target: '_self' }), ORIGIN)).not.toBeNull();
    expect(clickNavigation(click(), anchor('/a.pdf', { attributes: [NAV_ATTRIBUTE, 'download'] }), ORIGIN)).toBeNull();
    expect(clickNavigation(click(), anchor('https://elsewhere.example/'), ORIGIN)).toBeNull();
    expect(clickNavigation(click(), anchor('//elsewhere.example/cart'), ORIGIN)).toBeNull();
    expect(clickNavigation(click(), anchor('#main', { attributes: [] }), ORIGIN)).toBeNull();
  });
});

describe('intent on a storefront <Link>', () => {
  it('prefetches its route (no hash), unless it says never or leaves the origin', () => {
    expect(prefetchRoute(anchor('/products/a?variant=b#reviews'), ORIGIN)).toBe('/products/a?variant=b');
    expect(prefetchRoute(anchor('/quiz', { attributes: [NAV_ATTRIBUTE, NO_PREFETCH_ATTRIBUTE] }), ORIGIN)).toBeNull();
    expect(prefetchRoute(anchor('https://elsewhere.example/quiz'), ORIGIN)).toBeNull();
  });
});
