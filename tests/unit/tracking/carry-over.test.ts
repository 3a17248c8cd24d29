import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CARRIED_CALLS_KEY, carryOver, type HeldCall } from '@/lib/tracking/carry-over';
import type { BrowserTrackingConfig } from '@/lib/tracking/config';
import type { CallMade } from '@/lib/tracking/page-context';

/**
 * lib/tracking/carry-over.ts in a stand-in browser tab: a sessionStorage that outlives "pages", and each page its own
 * listeners. The e2e suite drives the real one (tests/e2e/tracking-navigation.spec.ts); this covers the rules a
 * browser run cannot easily reach: consent, the back/forward cache, a damaged entry.
 */
const ANONYMOUS = 'ajs_anonymous_id=%22a1b2c3d4-0000-4000-8000-000000000001%22';
let storage: Map<string, string>;
let listeners: Map<string, ((event: { persisted?: boolean }) => void)[]>;

function newPage(href: string, { cookie = ANONYMOUS, referrer = '', title = '' } = {}) {
  listeners = new Map();
  vi.stubGlobal('addEventListener', (type: string, listener: (event: { persisted?: boolean }) => void) =>
    listeners.set(type, [...(listeners.get(type) ?? []), listener]),
  );
  vi.stubGlobal('document', { cookie, referrer, title });
  vi.stubGlobal('location', { href });
}
const fire = (type: string, persisted = false) => listeners.get(type)?.forEach((listener) => listener({ persisted }));
const config = (consentMode: 'opt-in' | 'opt-out') => () => ({ consentMode }) as BrowserTrackingConfig;

const at = new Date('2026-12-05T10:00:00.000Z');
const made = (href: string, view?: CallMade[2]): CallMade => [at, href, view];
const COLLECTION = 'http://shop.test/collections/serums';
const track = (view?: CallMade[2]): HeldCall => [
  'track',
  'Collection Viewed',
  { collection_id: 'col_serums' },
  'mid-track',
  made(COLLECTION, view),
];
const pageCall = (): HeldCall => [
  'page',
  undefined,
  {},
  undefined,
  { href: COLLECTION, referrer: 'http://shop.test/', title: 'Serums', titled: new Promise(() => undefined) },
  at,
  'mid-page',
];

beforeEach(() => {
  storage = new Map();
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
    removeItem: (key: string) => void storage.delete(key),
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('calls carried over a full-page navigation', () => {
  it('go to the next page of the tab first, as they were made there: pages, times and message ids', () => {
    newPage(COLLECTION, { referrer: 'http://shop.test/', title: 'Serums · Glowlab' });
    const first: HeldCall[] = [pageCall(), track()];
    carryOver(first, config('opt-out'));
    fire('pagehide');

    newPage('http://shop.test/cart', { title: 'Your cart · Glowlab' });
    const own: HeldCall = ['reset', null];
    const next: HeldCall[] = [own];
    carryOver(next, () => null);
    expect(storage.has(CARRIED_CALLS_KEY)).toBe(false);
    expect(next).toHaveLength(3);
    expect(next[2]).toBe(own);
    const [page, viewed] = next as [Extract<HeldCall, { 0: 'page' }>, Extract<HeldCall, { 0: 'track' }>];
    expect(page).toEqual([
      'page',
      undefined,
      {},
      undefined,
      { href: COLLECTION, referrer: 'http://shop.test/', title: 'Serums' },
      at,
      'mid-page',
    ]);
    expect(page[5]).toBeInstanceOf(Date);
    // Made with no view of its own: the page it was made on is the document's, read before it was left.
    expect(viewed[4]).toEqual([
      at,
      COLLECTION,
      { href: COLLECTION, referrer: 'http://shop.test/', title: 'Serums · Glowlab' },
    ]);
    expect(viewed[4][0]).toBeInstanceOf(Date);
    expect(viewed[3]).toBe('mid-track');
  });

  it('are handed on again, oldest first, when the next page is left before sending them', () => {
    newPage(COLLECTION);
    carryOver([track()], config('opt-out'));
    fire('pagehide');
    newPage('http://shop.test/cart');
    const next: HeldCall[] = [['forget']];
    carryOver(next, config('opt-out'));
    fire('pagehide');
    newPage('http://shop.test/');
    const last: HeldCall[] = [];
    carryOver(last, config('opt-out'));
    expect(last.map((call) => call[0])).toEqual(['track', 'forget']);
  });

  it('are never stored without consent: after Decline, in opt-in before Accept, or before the settings with no id', () => {
    const leave = (cookie: string, mode: (() => BrowserTrackingConfig) | (() => null)) => {
      newPage(COLLECTION, { cookie });
      carryOver([track()], mode);
      fire('pagehide');
      return storage.has(CARRIED_CALLS_KEY);
    };
    expect(leave(`${ANONYMOUS}; glowlab_consent=denied`, config('opt-out'))).toBe(false);
    expect(leave(ANONYMOUS, config('opt-in'))).toBe(false);
    expect(leave('', () => null)).toBe(false);
    expect(leave(`${ANONYMOUS}; glowlab_consent=denied`, () => null)).toBe(false);
    expect(leave(`${ANONYMOUS}; glowlab_consent=granted`, config('opt-in'))).toBe(true);
  });

  it('are not taken by a page of a shopper who declined meanwhile', () => {
    newPage(COLLECTION);
    carryOver([track()], config('opt-out'));
    fire('pagehide');
    newPage('http://shop.test/cart', { cookie: `${ANONYMOUS}; glowlab_consent=denied` });
    const next: HeldCall[] = [];
    carryOver(next, config('opt-out'));
    expect(next).toEqual([]);
    expect(storage.has(CARRIED_CALLS_KEY)).toBe(false);
  });

  it('go once when the page comes back from the back/forward cache: from it if no page took them, else not', () => {
    newPage(COLLECTION);
    const kept: HeldCall[] = [track()];
    carryOver(kept, config('opt-out'));
    fire('pagehide');
    fire('pageshow', true); // back before any page of this tab read them
    expect(kept).toHaveLength(1);
    expect(storage.has(CARRIED_CALLS_KEY)).toBe(false);

    newPage(COLLECTION);
    const taken: HeldCall[] = [track(), pageCall()];
    const later: HeldCall = ['reset', null];
    carryOver(taken, config('opt-out'));
    const pageListeners = listeners;
    fire('pagehide');
    taken.push(later); // made after the page was left, kept in memory only
    newPage('http://shop.test/cart');
    carryOver([], config('opt-out')); // the next page took them
    listeners = pageListeners;
    fire('pageshow', true);
    expect(taken).toEqual([later]);
  });

  it('a damaged entry is dropped, not sent', () => {
    storage.set(CARRIED_CALLS_KEY, JSON.stringify({ token: 't', calls: [['drop-table', 1]] }));
    newPage(COLLECTION);
    const next: HeldCall[] = [];
    carryOver(next, config('opt-out'));
    expect(next).toEqual([]);
    expect(storage.has(CARRIED_CALLS_KEY)).toBe(false);
    storage.set(CARRIED_CALLS_KEY, '{not json');
    carryOver(next, config('opt-out'));
    expect(next).toEqual([]);
  });
});
