import type { CallMade, PageRead } from './page-context';

/** `context.page` as analytics.js builds it (its Page Enrichment plugin), and a page call's properties. */
export type PageContext = { path: string; referrer: string; search: string; title: string; url: string };

/** Page names by first path segment (e.g. `{ products: 'Product' }`), for pages named from their path. */
export type PageNames = Record<string, string>;

/** "/" → "Home", "/products/x" → "Products" unless `pageNames` says otherwise. */
export function pageNameFor(pathname: string, pageNames: PageNames = {}): string {
  const segment = pathname.split('/').find(Boolean) ?? '';
  if (segment in pageNames) return pageNames[segment]!;
  if (segment === '') return 'Home';
  return segment
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * How long a page call after a client-side navigation waits for its route's `<title>` (./page-context.ts), holding
 * the calls after it. A navigation within a page that renders no new one (a query string changed with
 * `history.pushState`, a filter) keeps the title it has; one to another page that renders it later goes without,
 * rather than with the page before's.
 */
const TITLE_WAIT_MS = 1000;

/** Resolves when `promise` settles, or after `ms`, whichever comes first. */
export const atMost = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

const withoutHash = (href: string) => href.split('#')[0]!;
const pathOf = (href: string) => new URL(href).pathname;

/** The page context of an address read in the browser (./page-context.ts), its referrer and its title. */
export function pageContext(href: string, referrer: string, title: string): PageContext {
  const { pathname, search } = new URL(href);
  return { path: pathname, referrer: withoutHash(referrer), search, title, url: withoutHash(href) };
}

/**
 * `context.campaign` as analytics.js reads it from a page's query string (`utm_source` → `source`, `utm_campaign` →
 * `name`, …; none without a query): from the page the call was made on, where the SDK would read the page it sends
 * the call from.
 */
export function campaignOf(search: string): Record<string, string> | undefined {
  if (!search) return undefined;
  const campaign: Record<string, string> = {};
  for (const part of search.slice(1).replace(/\?/g, '&').split('&')) {
    const [key = '', value = ''] = part.split('=');
    if (!key.includes('utm_') || key.length <= 4) continue;
    const name = key.slice(key.indexOf('utm_') + 4);
    campaign[name === 'campaign' ? 'name' : name] = decoded(value);
  }
  return campaign;
}

const decoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The campaign type of the SDK's options, which lists all five fields where analytics.js sends those present. */
type SdkCampaign = Record<'name' | 'term' | 'source' | 'medium' | 'content', string>;

/** The SDK's `context` for a call on `page`: the page, and its campaign when its address has a query. */
export function callContext(page: PageContext) {
  const campaign = campaignOf(page.search) as SdkCampaign | undefined;
  return { page, ...(campaign && { campaign }) };
}

/**
 * The SDK's options for a track or identify made at `made`: its time, and its page, with the referrer and title of
 * the view it was made in (its page call, sent before it, knows the title by then), else the document's.
 */
export function madeOptions([timestamp, href, view]: CallMade) {
  const inView = view && pathOf(view.href) === pathOf(href) ? view : document;
  return { timestamp, context: callContext(pageContext(href, inView.referrer, inView.title)) };
}

/**
 * Waits until the view's title is known (`titled`), at most TITLE_WAIT_MS. A view still shown then without a new
 * `<title>`, reached from the same path (its referrer, the view before), keeps the document's.
 */
export async function viewTitle(view: PageRead): Promise<void> {
  if (!view.titled) return;
  await atMost(view.titled, TITLE_WAIT_MS);
  if (!view.title && location.href === view.href && pathOf(view.referrer) === pathOf(view.href))
    view.title = document.title;
}
