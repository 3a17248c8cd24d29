import type { AnalyticsBrowser } from '@customerio/cdp-analytics-browser';
import type { HeldCall } from './carry-over';
import { USER_ID_COOKIE, normalizeCookieValue, readAnonymousId } from './cookies';
import { IDENTITY_SIGNATURE_CONTEXT_KEY } from './identity-signature-token';
import { uuidV4 } from './ids';
import { logError } from './log';
import { atMost, callContext, madeOptions, pageContext, pageNameFor, viewTitle } from './page-view';
import { enforceTraits } from './traits';

/**
 * What browser.ts's calls do once the SDK is loaded (./sdk.ts re-exports them): building each call's options, the
 * checks that need the SDK's chunk, and the SDK call itself, out of every page's first load. `made` is when and on
 * which page browser.ts was called (./page-context.ts).
 */
type Sdk = AnalyticsBrowser;
/** A held call of one kind. */
type Held<K extends HeldCall[0]> = Extract<HeldCall, [K, ...unknown[]]>;

const logFailure = (error: unknown) => logError('an analytics call failed', error);

/** The SDK calls not yet through its plugins and delivery (an identify waits for them, at most IDENTIFY_WAIT_MS). */
const inFlight = new Set<Promise<unknown>>();
const IDENTIFY_WAIT_MS = 1000;

/** Starts an SDK call without waiting for its delivery (which may take retries), logging a failure. */
function send(call: Promise<unknown>): void {
  inFlight.add(call);
  void call.catch(logFailure).finally(() => inFlight.delete(call));
}

/**
 * Makes a call browser.ts held, on the SDK once loaded, each in a task of its own: a page's first calls arrive
 * together, and made in one task they would make a long one on a slow phone. Never on an SDK still loading, which
 * would keep the call in its own buffer, in memory only: the call stays in `unsent`, which a navigation hands to the
 * tab's next page (./carry-over.ts), until it is made; one taken out meanwhile (a page back from the back/forward
 * cache whose calls the next page took) is not. Never rejects: a failure is logged, and browser.ts's chain goes on.
 */
export async function make(analytics: Sdk, call: HeldCall, unsent: HeldCall[]): Promise<void> {
  try {
    if (!analytics.instance) await analytics;
    await nextTask();
    if (unsent.includes(call)) await makeNow(analytics, call);
  } catch (error) {
    logFailure(error);
  } finally {
    const at = unsent.indexOf(call);
    if (at >= 0) unsent.splice(at, 1);
  }
}

function makeNow(analytics: Sdk, call: HeldCall): void | Promise<void> {
  switch (call[0]) {
    case 'track':
      return sendTrack(analytics, call);
    case 'page':
      return sendPage(analytics, call);
    case 'identify':
      return identifyChecked(analytics, call);
    case 'reset':
      return resetAnonymousId(analytics, call[1], call[2]);
    case 'forget':
      return forgetUser(analytics, call[1]);
  }
}

/**
 * Resolves in a new task, so the main thread can paint and handle input in between: `scheduler.yield()` where the
 * browser has it (its continuation goes before other tasks of its priority), else a message to this page.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** browser.ts's track, once the SDK is loaded; `made`: when and on which page it was called. */
function sendTrack(analytics: Sdk, [, name, properties, messageId, made]: Held<'track'>): void {
  send(analytics.track(name, properties, { messageId, ...madeOptions(made) }));
}

/**
 * browser.ts's identify, once the SDK is loaded: the traits are checked here, with the SDK (a bad trait skips the
 * identify; strict mode logs the error). The SDK puts unknown option keys (the signature) into the call's context,
 * where the pipeline looks for the signature; `made` is when and on which page it was called.
 * The SDK's Customer.io plugin gives a call the user id the SDK holds when it sends it, not when it was made: the
 * calls made before this identify and still on their way (a page call that waited for its route's title, then went
 * just before) go first, anonymous as they were made, else they would claim the customer they did not know yet.
 * browser.ts's chain waits for this, so the calls made after it carry the id. With `anonymousId` (the one the server
 * identified the customer with) the SDK takes that id first, if it holds another.
 */
async function identifyChecked(
  analytics: Sdk,
  [, customerId, traits, strict, signature, made, messageId, anonymousId]: Held<'identify'>,
): Promise<void> {
  if (!enforceTraits(traits, strict)) return;
  const signed = signature && { [IDENTITY_SIGNATURE_CONTEXT_KEY]: signature };
  const options = { messageId, ...madeOptions(made), ...signed };
  await atMost(Promise.allSettled(inFlight), IDENTIFY_WAIT_MS);
  const user = await analytics.user();
  if (anonymousId && user.anonymousId() !== anonymousId) await analytics.setAnonymousId(anonymousId);
  // The id goes with the call as an option, which the SDK stores again once it has built the call: the SDK starts a
  // new anonymous id when it finds another user id stored just before this one, and another tab can show it one (a
  // tab forgetting the user this tab's reset forgot first writes that user back to every store, then none). The
  // identify then went out with an id the server had not signed, held, and the calls after it stayed anonymous.
  const pinned = anonymousId ?? user.anonymousId();
  send(analytics.identify(customerId, traits, pinned ? { ...options, anonymousId: pinned } : options));
}

/**
 * browser.ts's page call, once the SDK is loaded: after a client-side navigation whose route had not rendered its
 * title when the call was made, it waits for it (./page-view.ts `viewTitle`), and browser.ts's chain with it, so
 * that the calls made after it, in that view, go after it and with its title. `view` is the page it is about
 * (`context.page`); without a `name`, the page is named from its path.
 */
async function sendPage(
  analytics: Sdk,
  [, name, properties, pageNames, view, timestamp, messageId]: Held<'page'>,
): Promise<void> {
  await viewTitle(view);
  const page = pageContext(view.href, view.referrer, view.title);
  const named = name ?? pageNameFor(page.path, pageNames);
  const options = { messageId, timestamp, context: callContext(page) };
  send(analytics.page(named, { ...page, ...properties }, options));
}

/**
 * browser.ts's reset, once the SDK is loaded: forgets the user and traits, then sets the new anonymous id at once
 * (not at the next event) so server actions right after logout see it too: `adopt` (the id the server's answer
 * named), else the one the logout action rotated the cookie to, else a new one. `before`: the anonymous id when
 * reset was called. The cookie alone can mislead: a later answer may have rotated it again since, or the SDK may
 * have written `before` back over it (it re-syncs every store at each read).
 */
async function resetAnonymousId(analytics: Sdk, before: string | null, adopt?: string | null): Promise<void> {
  const rotated = readAnonymousId(document.cookie);
  await forgetUser(analytics);
  await analytics.setAnonymousId(adopt ?? (rotated && rotated !== before ? rotated : uuidV4()));
}

/**
 * Forgets the user and traits, in storage and in the SDK's memory, and goes on with the browser's anonymous id: what
 * the SDK's `reset()` does but for the anonymous id, which it deletes. A request sent before the id was written again
 * went without one (this tab's server action, or another tab's: each tab forgets a user another tab forgot, and a tab
 * in the background can take a while to write it back), and the shop then took the shopper for a stranger: an
 * order placed right then was not linked to the browser that placed it.
 * `userId`: the user to forget (a stale one, or one another tab forgot). Nothing when storage holds another by now:
 * identifying someone else resets first, which other tabs take as a forget, and one that got to it after the new
 * user was stored wrote "no user" over them, for every tab (their calls went out anonymous until a page load
 * identified them again). The SDK reads storage before its memory, so it goes on with the stored one.
 */
async function forgetUser(analytics: Sdk, userId?: string): Promise<void> {
  const user = await analytics.user();
  // Checked and written in one go: a user stored while this waited for the SDK is left alone.
  const stored = storedUserId();
  if (userId !== undefined && stored !== null && stored !== userId) return;
  user.id(null);
  user.traits({});
}

/** The user id the SDK stored in localStorage, which it reads first (null: none, or storage blocked). */
function storedUserId(): string | null {
  try {
    const id = normalizeCookieValue(localStorage.getItem(USER_ID_COOKIE));
    return id === '' || id === 'null' ? null : id;
  } catch {
    return null;
  }
}

/** Resolves once the SDK has its anonymous id (minted now if it had none) in its cookie, where the server reads it. */
export const anonymousIdSet = (analytics: Sdk) => analytics.user().then((user) => void user.anonymousId());
