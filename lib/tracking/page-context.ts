/**
 * The page a browser call is about, as analytics.js records it on a full page load (`context.page`, and a page
 * call's properties), read when the call is made. The SDK reads the address, title and referrer only when it gets to
 * a call: calls queued before it loaded took a later page's, a client-side navigation never changes
 * `document.referrer`, and Next.js renders the new route's `<title>` with its metadata, often after the route
 * itself: a page call carried an empty title, or the previous page's. Only the reading is here, in every page's first
 * load; ./page-view.ts, loaded with the SDK, makes the SDK's `context.page` of it.
 */
export type PageRead = {
  href: string;
  referrer: string;
  title: string;
  /** Set while the route has not rendered its own `<title>`: resolves when it has, or when the view is left. */
  titled?: Promise<void>;
};

/** When and where a track or identify was made: its time, `location.href`, and the view then. */
export type CallMade = [timestamp: Date, href: string, view: PageRead | undefined];

/** The view of the last page call. */
let view: PageRead | undefined;
/** The `<title>` elements there when a view's title was read: none of them is the title of a later route. */
const seenTitles = new WeakSet<Element>();

/**
 * A page call's view, and when it began. The first of the document is the page loaded: its referrer is the
 * document's, its title there, and it began when the page was requested (a page call from a snippet in its head would
 * be dated then, before the events its components track as they hydrate). A later one follows a client-side
 * navigation: its referrer is the view before (what a full load would have sent, same-origin), and its title the
 * route's own `<title>`: React adds a new element for it first in the head, sometimes after the route, while the one
 * read for the view before is still there or already gone (and one it never hydrated may stay for good). A view left
 * before its title came gets none.
 */
export function newView(): [page: PageRead, began: Date] {
  const previous = view;
  const page: PageRead = (view = {
    href: location.href,
    referrer: previous?.href ?? document.referrer,
    title: '',
  });
  const read = () => {
    const element = document.querySelector('title');
    if (!element || (previous && seenTitles.has(element))) return false;
    document.querySelectorAll('title').forEach((title) => seenTitles.add(title));
    page.title = document.title;
    return true;
  };
  if (!read() && previous)
    page.titled = new Promise((resolve) =>
      new MutationObserver((_, observer) => {
        if (view === page && location.href === page.href && !read()) return;
        observer.disconnect();
        resolve();
      }).observe(document.head, { childList: true }),
    );
  return [page, new Date(previous ? Date.now() : performance.timeOrigin)];
}

export const callMade = (at = Date.now()): CallMade => [new Date(at), location.href, view];
