// What LinkNavigation (./link-navigation.tsx) decides about an event on a page's <Link>s, apart from the DOM
// listeners so it can be tested without a browser. next/link's rules (its linkClicked): a click the browser or
// another handler should keep is left alone.

export const NAV_ATTRIBUTE = 'data-nav';
export const NO_SCROLL_ATTRIBUTE = 'data-nav-no-scroll';
export const NO_PREFETCH_ATTRIBUTE = 'data-nav-no-prefetch';

/** The parts of an <a> the decision reads (an HTMLAnchorElement has them all). */
export type NavAnchor = {
  href: string;
  target: string;
  hasAttribute(name: string): boolean;
};

/** The parts of a click the decision reads (a MouseEvent has them all). */
export type NavClick = {
  defaultPrevented: boolean;
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
};

/** The app route an anchor leads to (path, query and hash), or null: another origin, or not one of our links. */
export function appRoute(anchor: NavAnchor, origin: string): string | null {
  if (!anchor.hasAttribute(NAV_ATTRIBUTE)) return null;
  let url: URL;
  try {
    url = new URL(anchor.href, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * How a click on `anchor` navigates: `{ href, scroll }` for a client-side navigation, or null where the browser's
 * own handling is wanted (another tab or window, a download, another origin, a handler that already prevented it).
 */
export function clickNavigation(
  click: NavClick,
  anchor: NavAnchor,
  origin: string,
): { href: string; scroll: boolean } | null {
  if (click.defaultPrevented || click.button !== 0) return null;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return null;
  const href = appRoute(anchor, origin);
  return href === null ? null : { href, scroll: !anchor.hasAttribute(NO_SCROLL_ATTRIBUTE) };
}

/** The route to prefetch when the shopper shows intent for `anchor` (pointer, focus, touch), or null. */
export function prefetchRoute(anchor: NavAnchor, origin: string): string | null {
  if (anchor.hasAttribute(NO_PREFETCH_ATTRIBUTE)) return null;
  const href = appRoute(anchor, origin);
  // A prefetch is of a route: its query may matter, its hash never does.
  return href === null ? null : href.replace(/#.*$/, '');
}
