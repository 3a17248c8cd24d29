import type { AnalyticsBrowser } from '@customerio/cdp-analytics-browser';
import { readAnonymousId } from './cookies';
import { IDENTITY_SIGNATURE_CONTEXT_KEY } from './identity-signature-token';
import { newMessageId, uuidV4 } from './ids';
import { logError } from './log';
import type { CallMade, PageRead } from './page-context';
import { atMost, callContext, madeOptions, pageContext, pageNameFor, viewTitle, type PageNames } from './page-view';
import { enforceTraits, type IdentifyTraits } from './traits';

/**
 * What browser.ts's calls do once the SDK is loaded (./sdk.ts re-exports them): building each call's options, the
 * checks that need the SDK's chunk, and the SDK call itself, out of every page's first load. `made` is when and on
 * which page browser.ts was called (./page-context.ts).
 */
type Sdk = AnalyticsBrowser;

const logFailure = (error: unknown) => logError('an analytics call failed', error);

/** The SDK calls not yet through its plugins and delivery (an identify waits for them, at most IDENTIFY_WAIT_MS). */
const inFlight = new Set<Promise<unknown>>();
const IDENTIFY_WAIT_MS = 1000;

/** Starts an SDK call without waiting for its delivery (which may take retries), logging a failure. */
function send(call: Promise<unknown>): void {
  inFlight.add(call);
  void call.catch(logFailure).finally(() => inFlight.delete(call));
}

/** browser.ts's track, once the SDK is loaded; `made`: when and on which page it was called. */
export function sendTrack(analytics: Sdk, name: string, properties: object, messageId: string, made: CallMade): void {
  send(analytics.track(name, properties, { messageId, ...madeOptions(made) }));
}

/**
 * browser.ts's identify, once the SDK is loaded: the traits are checked here, with the SDK (a bad trait skips the
 * identify; strict mode logs the error). The SDK puts unknown option keys (the signature) into the call's context,
 * where the pipeline looks for the signature; `made` is when and on which page it was called.
 * The SDK's Customer.io plugin gives a call the user id the SDK holds when it sends it, not when it was made: the
 * calls made before this identify and still on their way (a page call that waited for its route's title, then went
 * just before) go first, anonymous as they were made, else they would claim the customer they did not know yet.
 * browser.ts's chain waits for this, so the calls made after it carry the id.
 */
export async function identifyChecked(
  analytics: Sdk,
  customerId: string,
  traits: IdentifyTraits,
  strict: boolean,
  signature: string | null | undefined,
  made: CallMade,
): Promise<void> {
  if (!enforceTraits(traits, strict)) return;
  const options = { ...madeOptions(made), ...(signature && { [IDENTITY_SIGNATURE_CONTEXT_KEY]: signature }) };
  await atMost(Promise.allSettled(inFlight), IDENTIFY_WAIT_MS);
  send(analytics.identify(customerId, traits, options));
}

/**
 * browser.ts's page call, once the SDK is loaded: after a client-side navigation whose route had not rendered its
 * title when the call was made, it waits for it (./page-view.ts `viewTitle`), and browser.ts's chain with it, so
 * that the calls made after it, in that view, go after it and with its title. `view` is the page it is about
 * (`context.page`); without a `name`, the page is named from its path.
 */
export async function sendPage(
  analytics: Sdk,
  name: string | undefined,
  properties: Record<string, unknown>,
  pageNames: PageNames | undefined,
  view: PageRead,
  timestamp: Date,
): Promise<void> {
  await viewTitle(view);
  const page = pageContext(view.href, view.referrer, view.title);
  const named = name ?? pageNameFor(page.path, pageNames);
  const options = { messageId: newMessageId(), timestamp, context: callContext(page) };
  send(analytics.page(named, { ...page, ...properties }, options));
}

/**
 * browser.ts's reset, once the SDK is loaded: forgets the user and traits, then sets the new anonymous id at once
 * (not at the next event) so server actions right after logout see it too: the one the logout action rotated the
 * cookie to, else a new one. `before`: the anonymous id when reset was called.
 */
export async function resetAnonymousId(analytics: Sdk, before: string | null): Promise<void> {
  const rotated = readAnonymousId(document.cookie);
  await analytics.reset();
  await analytics.setAnonymousId(rotated && rotated !== before ? rotated : uuidV4());
}

/** Forgets the user and traits, in storage and in the SDK's memory, and goes on with the browser's anonymous id. */
export async function forgetUser(analytics: Sdk, anonymousId: () => string | null): Promise<void> {
  const current = readAnonymousId(document.cookie) ?? anonymousId();
  await analytics.reset();
  if (current) await analytics.setAnonymousId(current);
}

/** Resolves once the SDK has its anonymous id (minted now if it had none) in its cookie, where the server reads it. */
export const anonymousIdSet = (analytics: Sdk) => analytics.user().then((user) => void user.anonymousId());
