'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import {
  createContext,
  Suspense,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { configureTracking, getStoredUserId, identify, page, startTracking, stopAndForget, track } from './browser';
import type { BrowserTrackingConfig } from './config';
import {
  readDocumentConsent,
  subscribeConsent,
  trackingAllowed,
  writeDocumentConsent,
  type ConsentChoice,
} from './consent';
import type { IdentifyTraits } from './identity';
import type { EventName, EventProps } from './plan';

type TrackingContextValue = {
  /** null until the config is known (a static page that reads it after hydration). */
  config: BrowserTrackingConfig | null;
  /** The shopper's recorded choice; null until they choose. */
  consent: ConsentChoice | null;
  /** Whether tracking runs now, under the consent mode and choice. */
  allowed: boolean;
  /** The shopper reopened the banner (`openChoices`) to change her choice: it shows until she chooses or closes it. */
  choosing: boolean;
  /** The consent banner shows: the settings are known, and no choice is recorded yet or the shopper is choosing. */
  bannerShown: boolean;
  accept: () => void;
  decline: () => void;
  /** A "Privacy choices" control: reopens the banner; focus goes back to what had it once she chooses or closes it. */
  openChoices: () => void;
  /** Closes the reopened banner without a new choice (Escape). */
  closeChoices: () => void;
};

/**
 * The context carries a store that never changes, not the value: a new value (the settings read after hydration,
 * the consent cookie read on the client) re-renders only the components that use it. A changed context value would
 * re-render the whole storefront below the provider, and force React to hydrate every still-dehydrated Suspense
 * boundary under it (a page's loading.tsx) at once, in one long task.
 */
type TrackingStore = {
  /** What the server rendered with: hydrating consumers must start from it. */
  readonly initial: TrackingContextValue;
  current: TrackingContextValue;
  readonly subscribe: (listener: () => void) => () => void;
  /** The provider's layout effect: a new value reaches the consumers. */
  readonly publish: (value: TrackingContextValue) => void;
};

function createTrackingStore(initial: TrackingContextValue): TrackingStore {
  const listeners = new Set<() => void>();
  const store: TrackingStore = {
    initial,
    current: initial,
    subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    // Consumers compare snapshots: publishing the value they already have re-renders nothing.
    publish: (value) => {
      store.current = value;
      listeners.forEach((listener) => listener());
    },
  };
  return store;
}

const TrackingContext = createContext<TrackingStore | null>(null);

// Where focus goes back to when the reopened banner closes (the control that opened it, as a rule). A page has one
// banner, so one slot; kept out of React state, which it never renders.
let returnFocus: HTMLElement | null = null;

export function useTracking(): TrackingContextValue {
  const store = useContext(TrackingContext);
  // Development builds say what is wrong; production builds drop the check (NODE_ENV is inlined), which keeps every
  // storefront page's first load within its budget, and fail on `subscribe` of null instead.
  if (process.env.NODE_ENV !== 'production' && !store)
    throw new Error('useTracking must be used inside <TrackingProvider>');
  return useSyncExternalStore(
    store!.subscribe,
    () => store!.current,
    () => store!.initial,
  );
}

/**
 * Loads the SDK after hydration when consent allows, and sends one page call per App Router route.
 * `config` comes from browserTrackingConfig(), which checks it (not again here: the checks and their messages would
 * be in every page's first load), built in a server layout or, for static pages, in the browser once the settings
 * are read (null until then: calls wait in the queue and the banner is not shown).
 * `initialConsent` (the consent cookie read on the server) avoids a flash of the banner. `pageNames` maps a first
 * path segment to a page name.
 */
export function TrackingProvider({
  config,
  initialConsent = null,
  pageNames,
  untrackedPaths,
  sameViewParams,
  children,
}: {
  config: BrowserTrackingConfig | null;
  initialConsent?: ConsentChoice | null;
  pageNames?: Record<string, string>;
  /** Path prefixes that get no page calls (e.g. an internal console served by the same app). */
  untrackedPaths?: readonly string[];
  /**
   * Query parameters that pick something within the page shown (e.g. a product's size, kept in the URL with
   * `history.replaceState`): a change of only these is not a new view, so it sends no page call.
   */
  sameViewParams?: readonly string[];
  children: ReactNode;
}) {
  // Effects of children (TrackOnView) run before this provider's effects: they must already know `strict`.
  if (config) configureTracking(config);
  // The cookie is read in an effect, not through useSyncExternalStore: a static page renders without it (null), and
  // the store's differing browser value made React re-render synchronously at once, pulling every effect of the
  // hydration into one long task. Effects of the hydrating render see `initialConsent` either way; the update is
  // queued before any later render (the settings are read after this), so none sees a stale choice.
  const [consent, setConsent] = useState(initialConsent);
  useEffect(() => {
    const read = () => setConsent(readDocumentConsent());
    read();
    return subscribeConsent(read);
  }, []);
  const allowed = config !== null && trackingAllowed(config.consentMode, consent);
  const [choosing, setChoosing] = useState(false);

  useEffect(() => {
    if (config && allowed) void startTracking(config);
    else if (consent === 'denied') stopAndForget();
  }, [allowed, consent, config]);

  // Strict mode only (development and tests): importing it publishes the test hook; production pages never load it.
  useEffect(() => {
    if (config?.strict) void import('./test-hook');
  }, [config?.strict]);

  const value = useMemo<TrackingContextValue>(() => {
    const close = () => {
      setChoosing(false);
      const back = returnFocus;
      returnFocus = null;
      if (back?.isConnected) back.focus();
    };
    const choose = (choice: ConsentChoice) => {
      writeDocumentConsent(choice);
      close();
    };
    return {
      config,
      consent,
      allowed,
      choosing,
      bannerShown: config !== null && (consent === null || choosing),
      accept: () => choose('granted'),
      decline: () => choose('denied'),
      openChoices: () => {
        if (document.activeElement instanceof HTMLElement) returnFocus = document.activeElement;
        setChoosing(true);
      },
      closeChoices: close,
    };
  }, [config, consent, allowed, choosing]);
  const [store] = useState(() => createTrackingStore(value));
  useLayoutEffect(() => store.publish(value), [store, value]);

  return (
    <TrackingContext.Provider value={store}>
      <Suspense fallback={null}>
        <PageViews pageNames={pageNames} untrackedPaths={untrackedPaths} sameViewParams={sameViewParams} />
      </Suspense>
      {children}
    </TrackingContext.Provider>
  );
}

// Paths whose route rendered <NoPageView /> (a 404): they get no page call.
const notPages = new Set<string>();

/**
 * Render it in a "not found" page: the URL has no page, so no page call is sent for it. A layout effect
 * runs before any effect of the same commit, so the path is marked before PageViews decides.
 */
export function NoPageView() {
  useLayoutEffect(() => {
    const path = window.location.pathname;
    notPages.add(path);
    return () => {
      notPages.delete(path);
    };
  }, []);
  return null;
}

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix.replace(/\/$/, '')}/`);

/** The query string that tells one view from another: without `sameViewParams`. */
function viewSearch(params: URLSearchParams, sameViewParams: readonly string[]): string {
  const view = new URLSearchParams(params);
  for (const name of sameViewParams) view.delete(name);
  return view.toString();
}

function PageViews({
  pageNames,
  untrackedPaths = [],
  sameViewParams = [],
}: {
  pageNames?: Record<string, string>;
  untrackedPaths?: readonly string[];
  sameViewParams?: readonly string[];
}) {
  const pathname = usePathname();
  // Next.js keeps useSearchParams in step with history.replaceState too: a size picked on a product page changes it.
  const search = viewSearch(useSearchParams(), sameViewParams);
  // A ref survives StrictMode's simulated unmount, so the doubled effect sends one page call, not two.
  const last = useRef<string | null>(null);
  useEffect(() => {
    const key = `${pathname}?${search}`;
    if (last.current === key) return;
    last.current = key;
    if (notPages.has(pathname) || untrackedPaths.some((prefix) => isUnder(pathname, prefix))) return;
    page(undefined, {}, pageNames);
  }, [pathname, search, pageNames, untrackedPaths]);
  return null;
}

/**
 * Tracks `event` once per mount (give it a `key` to track again, e.g. the product id). `properties` may be a
 * function, called in the browser: for values only the page knows, such as `window.location.origin`.
 */
export function TrackOnView<N extends EventName>({
  event,
  properties,
}: {
  event: N;
  properties: EventProps<N> | (() => EventProps<N>);
}) {
  const fired = useRef(false);
  useEffect(() => {
    if (fired.current) return;
    fired.current = true;
    track(event, typeof properties === 'function' ? properties() : properties);
  }, [event, properties]);
  return null;
}

/**
 * For signed-in sessions only: the layout renders it with the session's canonical customer id and the identity
 * signature its server tracker minted (`signIdentity`) for the browser's anonymous id, and that id. It identifies when
 * the SDK's stored user id differs (a session started on another device, or before consent), and never on every page
 * load. Anonymous visitors get no identify at all: do not render it for them. Nor for a browser with no anonymous id
 * yet (opt-in, before Accept): mint the signature again once it has one (browser.ts `whenTracking`), then render it.
 */
export function IdentifyOnce({
  customerId,
  traits,
  signature,
  anonymousId,
}: {
  customerId: string;
  traits?: IdentifyTraits;
  signature?: string | null;
  /** The anonymous id the signature was minted for: the SDK identifies with it (identify's `anonymousId`). */
  anonymousId?: string | null;
}) {
  const { allowed } = useTracking();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!allowed || done.current === customerId) return;
    // Not done when no identify could be made (no anonymous id yet): a signature for the id set since comes next.
    if (
      getStoredUserId() === customerId ||
      identify(customerId, traits, { signature, ...(anonymousId && { anonymousId }) })
    )
      done.current = customerId;
  }, [allowed, customerId, traits, signature, anonymousId]);
  return null;
}
