'use client';

import type { BrowserTrackingConfig } from './config';
import {
  ANONYMOUS_ID_COOKIE,
  USER_ID_COOKIE,
  isValidAnonymousId,
  normalizeCookieValue,
  readAnonymousId,
  readStoredUserId,
} from './cookies';
import { readDocumentConsent, recheckConsent } from './consent';
import type { IdentifyTraits } from './traits';
import type { HeldCall } from './carry-over';
import { guardIdentify } from './identity-guard';
import { newMessageId } from './ids';
import { logError } from './log';
import { callMade, newView } from './page-context';
import type { PageNames } from './page-view';
import type { EventName, EventProps } from './plan-data';
import type { Sdk } from './sdk';

export { newMessageId };

/**
 * The one browser SDK instance of the page. It is created lazily, after hydration, only when consent allows;
 * calls made before that wait in a small queue (they are dropped if the shopper declines), as data, which a
 * full-page navigation hands on to the tab's next page (./carry-over.ts). The plan check
 * and the traits check (./sdk.ts), then the SDK, are imported then, in tasks of their own: the first load has none
 * of them (nor zod). The plan is enforced by the SDK's source middleware for every call; strict mode logs a violation
 * as an error there instead of throwing at the call site. The identity guard stays synchronous.
 */
type SdkModule = typeof import('./sdk');
// AnalyticsBrowser has a `then` method: a promise resolving to it would resolve to its load result instead.
type Holder = { analytics: Sdk; module: SdkModule };

const MAX_PENDING = 50;
let config: BrowserTrackingConfig | null = null;
let sdk: Promise<Holder> | null = null;
let stopped = false;
let lastIdentified: string | null = null;
/**
 * A stale user id forgotten before the SDK loaded (forgetStaleUser): reads of the stored user id skip it at once, and
 * its storage is deleted just before the SDK loads (createSdk), by the chunk loaded then.
 */
let forgotten: string | null = null;
/** The SDK once created: calls go to `chain` at once. */
let holder: Holder | null = null;
/**
 * Calls not yet made on the loaded SDK, oldest first: those waiting for it to be created (≤ 50) and those on `chain`.
 * A full-page navigation hands them to the tab's next page (./carry-over.ts).
 */
const unsent: HeldCall[] = [];
/**
 * ./carry-over.ts, asked for as this module is evaluated (before hydration, so that it listens for the page's end
 * before its first call): the calls an earlier page of the tab left unsent, then this page's for the next one. The
 * SDK waits for it; should it fail to load, the page tracks without it.
 */
const carried =
  typeof window === 'undefined'
    ? null
    : import('./carry-over').then((m) => m.carryOver(unsent, () => config)).catch(() => undefined);
/** Consent allows, the browser has its anonymous id, and stopAndForget did not run since: server mirrors may be asked. */
let tracking = false;
/** The page could not read its config (releaseMirrors): it cannot tell, so the server decides on consent. */
let released = false;
const pendingMirrors: (() => void)[] = [];

/** Tells the module its config before any effect runs (the provider calls this while rendering). */
export function configureTracking(next: BrowserTrackingConfig): void {
  config = next;
}

/** Creates and loads the SDK once; safe to call from every effect (StrictMode runs them twice). */
export function startTracking(next: BrowserTrackingConfig): Promise<void> {
  if (typeof window === 'undefined') return Promise.resolve();
  config = next;
  stopped = false;
  // Server copies need the anonymous id cookie, which the server tracker reads (without it, it drops them): proxy.ts
  // set it with the page, else (opt-in, Accept on this page) the SDK sets it once loaded.
  if (readAnonymousId(document.cookie)) allowMirrors();
  sdk ??= whenIdle().then(() => createSdk(next));
  return sdk.then(
    (created) => {
      // Once: the first answer takes the calls made so far (none, on a page that makes its first call later).
      if (!holder) for (const call of unsent) run(created, call);
      holder = created;
      return created.module.anonymousIdSet(created.analytics).then(allowMirrors);
    },
    (error: unknown) => logError('the analytics SDK failed to load', error),
  );
}

/** Server mirrors may be asked (whenTracking): those held so far go now. */
function allowMirrors(): void {
  if (stopped) return;
  tracking = true;
  for (const mirror of pendingMirrors.splice(0)) mirror();
}

async function createSdk(cfg: BrowserTrackingConfig): Promise<Holder> {
  // Imported here, never at module level: the SDK touches DOM globals and crashes during server rendering.
  const [sdkModule] = await Promise.all([import('./sdk'), carried]);
  if (forgotten) {
    sdkModule.forgetStoredUser();
    forgotten = null;
  }
  return { ...(await sdkModule.createSdk(cfg, () => stopped, userForgottenElsewhere)), module: sdkModule };
}

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function')
      window.requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 1);
  });
}

// Calls run one after another, each waiting for the previous one: reset() is asynchronous, and a page call
// made right after it must not slip in between the reset and the new anonymous id.
let chain: Promise<unknown> = Promise.resolve();

/** ./sdk-calls.ts `make` never rejects, so the chain goes on; it takes the call out of `unsent` once made. */
function run({ analytics, module }: Holder, call: HeldCall): void {
  chain = chain.then(() => module.make(analytics, call, unsent));
}

function enqueue(call: HeldCall): void {
  if (stopped) return;
  // Declined in another tab since this page last looked: the cookie says so, this SDK's memory does not. Nothing
  // more goes out, and the provider stops and forgets as after a Decline here (the SDK would write its ids back).
  if (readDocumentConsent() === 'denied') {
    recheckConsent();
    return;
  }
  if (!holder && unsent.length >= MAX_PENDING) unsent.shift();
  unsent.push(call);
  if (holder) run(holder, call);
}

function readLocal(key: string): string | null {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return null; // storage blocked
  }
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : null;
  } catch {
    return normalizeCookieValue(raw); // not JSON: written plain by another writer
  }
}

/** The anonymous id the SDK will use (same lookup order as the SDK: localStorage, then cookie). */
export function getAnonymousId(): string | null {
  if (typeof window === 'undefined' || stopped) return null;
  const id = readLocal(ANONYMOUS_ID_COOKIE) ?? readAnonymousId(document.cookie);
  return isValidAnonymousId(id) ? id : null;
}

/** The user id of the last identify on this page, else the one the SDK stored, if any. */
export function getStoredUserId(): string | null {
  if (typeof window === 'undefined') return null;
  if (lastIdentified) return lastIdentified;
  const stored = readLocal(USER_ID_COOKIE) ?? readStoredUserId(document.cookie);
  return stored === forgotten ? null : stored;
}

const isStrict = () => config?.strict ?? false;

/**
 * Tracks a planned event. Returns the messageId used: pass it to the server action that mirrors the event
 * so the pipeline stores it once. A plan violation is dropped by the SDK's middleware (which also stamps
 * `schema_version`): logged as an error in strict mode, once per event and kind in production. `at` (epoch ms): when
 * it happened, when that was before this call (a view noted before the code that tracks it had loaded).
 */
export function track<N extends EventName>(
  name: N,
  properties: EventProps<N>,
  options: { messageId?: string; at?: number } = {},
): string {
  const messageId = options.messageId ?? newMessageId();
  const made = callMade(options.at);
  enqueue(['track', name, properties, messageId, made]);
  return messageId;
}

/**
 * Asks the server to mirror an event (`mirror` runs the server action with track()'s messageId) once this page may
 * track: at once when it does, else when consent allows it (the settings read, Accept) and the browser has its
 * anonymous id cookie, never after Decline. Before that the server tracker would refuse the call and store nothing:
 * the request would only be wasted (≤ 50 wait).
 */
export function whenTracking(mirror: () => void): void {
  if (stopped) return;
  if (tracking || released) {
    mirror();
    return;
  }
  if (pendingMirrors.length >= MAX_PENDING) pendingMirrors.shift();
  pendingMirrors.push(mirror);
}

/**
 * The page's config could not be read (a blocked or failed settings request), so it cannot tell whether it may
 * track: mirrors held and to come go to the server, whose tracker checks consent by itself. The server copy is what
 * still reaches the pipeline when the browser's side is blocked; holding it for a config that never comes would lose
 * it.
 */
export function releaseMirrors(): void {
  released = true;
  for (const mirror of pendingMirrors.splice(0)) mirror();
}

/**
 * A page call for the current location. `name` is the page's name in reports (e.g. "Product"); left out, the page is
 * named from its path (`pageNameFor`, with `pageNames`: what the provider sends). It carries the page as a full load
 * would (./page-context.ts): after a client-side navigation it waits for the route's title, and calls made after it
 * wait with it, so they keep their order. The document's first page call is dated when the page was requested, as a
 * page call from a snippet in its head would be: before the events its components track.
 */
export function page(name?: string, properties: Record<string, unknown> = {}, pageNames?: PageNames): void {
  const [view, timestamp] = newView();
  enqueue(['page', name, properties, pageNames, view, timestamp, newMessageId()]);
}

/**
 * Identifies the visitor as `customerId` (a canonical id the server returned after signup, login, guest
 * order or email capture). Guarded: strict mode throws on a bad id; production skips and returns false.
 * Identifying a different customer than the SDK holds resets first (see `reset`): the server side should rotate
 * the anonymous id cookie in that case, as it does at logout (`rotateAnonymousIdCookie`), and the SDK adopts it.
 * The pipeline applies it only with the identity signature the server minted: after `identifyServer` in a server
 * action it is read from a cookie by itself; a server component passes it as `signature` (IdentifyOnce). A browser
 * without an anonymous id yet (opt-in, before Accept) has nothing to be signed for: no identify is made (false).
 * `anonymousId`: the one the server identified the customer with, when its answer says (the signature covers it):
 * the SDK goes on with that id, whatever the cookie holds by the time the call is made. Pass both from the answer
 * when identifies can follow each other quickly (an email corrected and changed back): the cookie then holds the
 * latest answer's id and signature, not necessarily this one's, and the SDK can have written its own id back
 * over a rotated cookie before adopting it (it re-syncs every store at each read).
 */
export function identify(
  customerId: string,
  traits: IdentifyTraits = {},
  options: { signature?: string | null; anonymousId?: string } = {},
): boolean {
  if (stopped) return false;
  const adopt = isValidAnonymousId(options.anonymousId) ? options.anonymousId : undefined;
  const anonymousId = adopt ?? getAnonymousId();
  if (!guardIdentify(customerId, { strict: isStrict(), anonymousId })) return false;
  // No anonymous id yet (opt-in, before Accept): nothing the server could have signed for this browser, so the
  // identify would only be held. Not made; identify again once the SDK has its id (ShopTracking reads a signature then).
  if (!anonymousId) return false;
  // Another customer than the one this browser holds (a shared device, no logout between): start afresh as logout
  // does, adopting the anonymous id the server rotated for this identify, so the two histories stay apart.
  const holding = getStoredUserId();
  if (holding !== null && holding !== customerId) reset(adopt);
  lastIdentified = customerId;
  enqueue(['identify', customerId, traits, isStrict(), options.signature, callMade(), newMessageId(), adopt]);
  return true;
}

/**
 * Logout: forgets the user id, traits and anonymous id, and starts a new anonymous id. Call it after the
 * logout action returned: the SDK adopts `anonymousId` when given (the id the action rotated the cookie to), else
 * the cookie when that action rotated it, else it mints another.
 */
export function reset(anonymousId?: string): void {
  const before = getAnonymousId();
  lastIdentified = null;
  enqueue(['reset', before, isValidAnonymousId(anonymousId) ? anonymousId : undefined]);
}

/**
 * Boot-time check against what the shop's server knows (`knownUserId`: the customer this browser is, by its session
 * or by its anonymous id, else null). An SDK still holding another user id (its anonymous id cookie was reset, or
 * a logout happened elsewhere) would send every call under that id, which the pipeline keeps flagged
 * `unverified_user_id` until the next signed identify: the stale user id and traits are forgotten instead, and the
 * browser's current anonymous id kept (unlike `reset`, no new one). Call it before the SDK loads (the settings
 * answer comes first): the SDK then starts without the stale user, for every queued call too.
 */
export function forgetStaleUser(knownUserId: string | null): void {
  const holding = getStoredUserId();
  if (holding === null || holding === knownUserId) return;
  lastIdentified = null;
  if (sdk) forgetUserKeepingAnonymousId(holding);
  else forgotten = holding;
}

/**
 * Forgets the SDK's user `userId` and traits, in storage and in its memory, and goes on with the browser's anonymous
 * id; nothing when another user was stored since (./sdk-calls.ts `forgetUser`).
 */
function forgetUserKeepingAnonymousId(userId: string): void {
  enqueue(['forget', userId]);
}

/** Another tab forgot `userId` (./sdk.ts `followOtherTabs`): this one forgets them too. */
function userForgottenElsewhere(userId: string): void {
  if (lastIdentified === userId) lastIdentified = null;
  forgetUserKeepingAnonymousId(userId);
}

/** Consent declined: stop sending and delete everything the SDK stored (ajs_* cookies, localStorage, queue). */
export function stopAndForget(): void {
  stopped = true;
  tracking = false;
  lastIdentified = null;
  unsent.length = 0;
  pendingMirrors.length = 0;
  // The storage goes once the SDK (if it loaded) has reset, by a module loaded now: most pages never need it.
  void import('./forget-storage')
    .then((m) => m.forgetAll(sdk))
    .catch((error: unknown) => logError('the analytics storage could not be deleted', error));
}
