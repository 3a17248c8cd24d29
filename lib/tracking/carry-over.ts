import { CARRIED_CALLS_KEY } from './carried-calls-key';
import type { BrowserTrackingConfig } from './config';
import { readAnonymousId } from './cookies';
import { readDocumentConsent, trackingAllowed } from './consent';
import { newMessageId } from './ids';
import type { CallMade, PageRead } from './page-context';
import type { PageNames } from './page-view';
import type { IdentifyTraits } from './traits';

export { CARRIED_CALLS_KEY };

/**
 * A call browser.ts holds until the loaded SDK has it: plain data (a tuple, which costs the first load the least),
 * so that it can outlive its page. ./sdk-calls.ts `make` turns it into the SDK call. Every message id is fixed when
 * the call is made, so a call sent from two pages is stored once.
 */
export type HeldCall =
  | [kind: 'track', name: string, properties: object, messageId: string, made: CallMade]
  | [
      kind: 'page',
      name: string | undefined,
      properties: Record<string, unknown>,
      pageNames: PageNames | undefined,
      view: PageRead,
      timestamp: Date,
      messageId: string,
    ]
  | [
      kind: 'identify',
      customerId: string,
      traits: IdentifyTraits,
      strict: boolean,
      signature: string | null | undefined,
      made: CallMade,
      messageId: string,
      anonymousId?: string,
    ]
  | [kind: 'reset', before: string | null, adopt?: string]
  | [kind: 'forget', userId?: string];

const KINDS = ['track', 'page', 'identify', 'reset', 'forget'];
type Saved = { token: string; calls: HeldCall[] };

/**
 * Calls made before the SDK loaded (it loads after hydration, the settings answer and an idle callback: often a
 * second or more on a phone) lived only in the page's memory, so a full-page navigation in that time lost them: a
 * shopper who opened three products in a row was recorded viewing the last. On `pagehide` the calls browser.ts still
 * holds (`unsent`, oldest first) go to sessionStorage, and the tab's next page puts them before its own,
 * under their own times, pages and message ids. Only while tracking is allowed: in opt-in nothing is stored before
 * Accept (there is no anonymous id cookie then), and never after Decline (forget-storage.ts deletes the key).
 * A page restored from the back/forward cache after it saved them drops those the next page took, or takes them
 * back if none did. Loaded after the page's first call, not in its first load.
 */
export function carryOver(unsent: HeldCall[], config: () => BrowserTrackingConfig | null): void {
  unsent.unshift(...take());
  let saved: Saved | null = null;
  addEventListener('pagehide', () => {
    if (unsent.length === 0 || !mayStore(config())) return;
    saved = { token: newMessageId(), calls: unsent.slice(-50) };
    store(saved);
  });
  addEventListener('pageshow', (event) => {
    if (!event.persisted || !saved) return;
    if (read()?.token === saved.token) sessionStorage.removeItem(CARRIED_CALLS_KEY);
    else unsent.splice(0, unsent.length, ...unsent.filter((call) => !saved!.calls.includes(call)));
    saved = null;
  });
}

function mayStore(config: BrowserTrackingConfig | null): boolean {
  const choice = readDocumentConsent();
  // Before the settings answer the mode is unknown: proxy.ts set the anonymous id cookie only where tracking is allowed.
  return config
    ? trackingAllowed(config.consentMode, choice)
    : choice !== 'denied' && !!readAnonymousId(document.cookie);
}

function store({ token, calls }: Saved): void {
  try {
    sessionStorage.setItem(CARRIED_CALLS_KEY, JSON.stringify({ token, calls: calls.map(resolvedPages) }));
  } catch {
    // storage blocked or full: they are lost, as they were before
  }
}

function read(): Saved | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(CARRIED_CALLS_KEY) ?? 'null') as Saved | null;
    return saved && Array.isArray(saved.calls) && saved.calls.every((c) => Array.isArray(c) && KINDS.includes(c[0]))
      ? saved
      : null;
  } catch {
    return null;
  }
}

/** The calls a page before this one in the tab left unsent, with their dates revived; the key is deleted. */
function take(): HeldCall[] {
  const saved = readDocumentConsent() === 'denied' ? null : read();
  try {
    sessionStorage.removeItem(CARRIED_CALLS_KEY);
  } catch {
    // storage blocked: nothing was carried
  }
  return (saved?.calls ?? []).map(revived);
}

const pathOf = (href: string) => new URL(href).pathname;
const plainView = ({ href, referrer, title }: PageRead): PageRead => ({ href, referrer, title });

/** `call` with its `made` (track, identify), or its page call's view and time, passed through `made` and `view`. */
function mapped(
  call: HeldCall,
  made: (made: CallMade) => CallMade,
  view: (view: PageRead, at: Date) => [PageRead, Date],
) {
  switch (call[0]) {
    case 'track':
      return [call[0], call[1], call[2], call[3], made(call[4])] satisfies HeldCall;
    case 'identify':
      return [
        call[0],
        call[1],
        call[2],
        call[3],
        call[4],
        made(call[5]),
        call[6],
        call[7] ?? undefined,
      ] satisfies HeldCall;
    case 'page':
      return [
        call[0],
        call[1] ?? undefined,
        call[2],
        call[3] ?? undefined,
        ...view(call[4], call[5]),
        call[6],
      ] satisfies HeldCall;
    default:
      return call;
  }
}

/**
 * A call's page as it would be sent from this document (./page-view.ts `madeOptions`: the view it was made in, else
 * the document's referrer and title), fixed now, while this is still its document.
 */
const resolvedPages = (call: HeldCall): HeldCall =>
  mapped(
    call,
    ([at, href, view]) => [
      at,
      href,
      plainView(
        view && pathOf(view.href) === pathOf(href)
          ? view
          : { href, referrer: document.referrer, title: document.title },
      ),
    ],
    (view, at) => [plainView(view), at],
  );

/** JSON made dates strings and `undefined` null: back to what ./sdk-calls.ts `make` expects. */
const revived = (call: HeldCall): HeldCall =>
  mapped(
    call,
    ([at, href, view]) => [new Date(at), href, view ?? undefined],
    (view, at) => [view, new Date(at)],
  );
