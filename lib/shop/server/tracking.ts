import 'server-only';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { serverWriteKey } from '@/lib/common/secrets';
import { env } from '@/lib/env';
import { serverTrackingEndpoint } from '@/lib/tracking/config';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import type { CartAttribute, EventProps } from '@/lib/tracking/plan';
import {
  createServerTracker,
  readRequestAnonymousId,
  rotateAnonymousIdCookie,
  type ServerTracker,
} from '@/lib/tracking/server';
import type { CartLineInput } from '@/lib/shop/domain/pricing';
import { cartProps } from '@/lib/shop/domain/tracking-items';
import { readAcquisitionSource } from './acquisition';
import { getSession } from './auth/session';
import {
  isEmailBeingCorrected,
  latestCustomerOf,
  rememberBrowser,
  rememberCartWrite,
  setCartLast,
} from './customer-browsers';
import type { Customer } from './customers';
import { sendDurably } from './shop-events';
import { restoreUrl } from './restore-token';
import { shopNow } from './shop-clock';

/**
 * The shop's server-side tracking glue, in one place. Server events take the same road as the browser's:
 * the shop's own ingest (/api/cdp/v1/batch on APP_URL). With CIO_WRITE_KEY set, that pipeline forwards
 * everything to Customer.io with each messageId intact, so browser/server copies still meet and dedupe.
 */
let tracker: ServerTracker | undefined;

export function serverTracker(): ServerTracker {
  const e = env();
  tracker ??= createServerTracker({
    // The secret server key: the pipeline trusts these calls and checks identity signatures derived from it.
    writeKey: serverWriteKey(),
    ...serverTrackingEndpoint(e.appUrl),
    resolveUserId: knownCustomerId,
    strict: e.trackingStrict,
    consentMode: e.CONSENT_MODE,
    secureCookies: async () => secureCookies({ headers: await headers() }),
  });
  return tracker;
}

/**
 * The customer this request's shopper is: the signed-in one, else the one this browser was identified as (a guest
 * order, an email left in a form). Server events and the `cart` attribute go to them as the browser's do; without
 * it a shopper known only by email got anonymous server events (stitched later at best) and no cart attribute.
 */
export async function knownCustomerId(): Promise<string | undefined> {
  const session = await getSession();
  return session ? session.customerId : browserCustomerId();
}

/** The customer this request's browser (its anonymous id cookie) was last identified as, if any. */
export async function browserCustomerId(): Promise<string | undefined> {
  const anonymousId = await readRequestAnonymousId();
  return anonymousId ? latestCustomerOf(await getDb(), anonymousId) : undefined;
}

export const trackingOrigin = () => env().appUrl;

/** The first word of the name the shopper gave ("Ada Lovelace" → "Ada"): what the emails greet them by. */
const firstNameOf = (name: string | null) => name?.trim().split(/\s+/)[0] || undefined;

/** Traits sent with every identify of a customer, from the stored row (first touch wins, never the latest). */
export function customerTraits(customer: Customer): IdentifyTraits {
  const firstName = firstNameOf(customer.name);
  return {
    email: customer.email,
    ...(firstName ? { first_name: firstName } : {}),
    ...(customer.acquisitionSource ? { acquisition_source: customer.acquisitionSource } : {}),
    first_seen_at: customer.firstSeenAt,
    created_at: customer.createdAt,
  };
}

/**
 * What the browser identifies with: the id and the email, which the identity signature covers. The other traits
 * (acquisition, dates, the cart) go from the server only, so a browser is never handed more about a customer than
 * it typed. After an identify in a server action, also the anonymous id the server identified them with and its
 * signature (identifyCustomer), so that the browser's identify matches this answer even when another has changed the
 * cookies since (lib/tracking/browser.ts `identify`).
 */
export type BrowserIdentity = {
  customerId: string;
  traits: IdentifyTraits;
  anonymousId?: string;
  signature?: string | null;
};
export const browserIdentity = (customer: Customer): BrowserIdentity => ({
  customerId: customer.id,
  traits: { email: customer.email },
});

/**
 * The cart block of a cart event as the server mirrors it: re-priced from the catalogue, plus the restore link
 * only the server can sign (valid 7 days from the pipeline's time, shopNow). The browser's copy has no link; the pipeline keeps the server's copy.
 */
export async function serverCartProps(
  lines: readonly CartLineInput[],
): Promise<ReturnType<typeof cartProps> & { restore_url?: string }> {
  const props = cartProps(lines, trackingOrigin());
  if (!props.items.length) return props;
  const restoreLines = props.items.map((i) => ({ sku: i.sku, variantId: i.variant_id, quantity: i.quantity }));
  return { ...props, restore_url: restoreUrl(env().appUrl, restoreLines, await shopNow()) };
}

/**
 * The `cart` person attribute for these lines (null for an empty cart: the pipeline takes it as no cart left and
 * ends that cart's recovery, lib/cdp/engine/README.md). Emails read the cart from the person, because a
 * segment-triggered campaign has no event to read it from (lib/cdp/engine/journeys/README.md).
 */
export async function cartAttribute(lines: readonly CartLineInput[]): Promise<CartAttribute | null> {
  const { restore_url, ...block } = await serverCartProps(lines);
  return restore_url ? { ...block, restore_url } : null;
}

/**
 * Shared device: a browser last identified as another customer (A ordered as a guest or left an email here, now B
 * signs up, logs in, orders or leaves an email; no logout between) gets a fresh anonymous id first, as logout gives
 * it, so B's history starts apart from A's. The browser SDK adopts the new cookie when it identifies someone other
 * than the customer it holds (lib/tracking/browser.ts `identify`). The same customer again keeps the id.
 * Unless the form says B's address `replaces` A's, and A is that address, left by this browser alone minutes ago
 * and nothing more (isEmailBeingCorrected): then B corrects a typo, and A and the old id are returned (`corrected`)
 * so that identifyCustomer moves that history to B.
 * Otherwise, when this browser set A's `cart` attribute last, that cart was this browser's, which is now B's (B's
 * adds went out as A's until B became known): A is returned as `cartOf`, and loses it, or A would be sent a recovery
 * email listing what B put in the cart (and maybe bought). Unless `previousKeepsCart`: A was signed in here, and
 * signing in as B empties the browser's cart instead, so the cart stays A's (auth.ts). A cart A set elsewhere since
 * stays A's too.
 */
async function freshBrowserIdFor(
  customerId: string,
  { replaces, previousKeepsCart }: { replaces?: string; previousKeepsCart?: boolean },
): Promise<{ corrected?: { customerId: string; anonymousIds: string[] }; cartOf?: string } | undefined> {
  const previous = await browserCustomerId();
  if (previous === undefined || previous === customerId) return undefined;
  // A previous customer means the request has an anonymous id (browserCustomerId).
  const anonymousId = (await readRequestAnonymousId())!;
  const db = await getDb();
  const corrected =
    replaces !== undefined &&
    (await isEmailBeingCorrected(db, previous, replaces, anonymousId, new Date(), customerId));
  const cartLeaves = !corrected && !previousKeepsCart && (await setCartLast(db, previous, anonymousId));
  await rotateAnonymousIdCookie({
    consentMode: env().CONSENT_MODE,
    secure: secureCookies({ headers: await headers() }),
  });
  if (corrected) return { corrected: { customerId: previous, anonymousIds: corrected } };
  return cartLeaves ? { cartOf: previous } : undefined;
}

/**
 * Server half of "the shopper just became known" — call it only when this request's browser IS the customer
 * (customer-browsers.ts) in a server action: identify with the request's anonymous id cookie (a fresh one when the
 * browser was someone else's, see above; an action reads back the cookie it set), which also hands the browser its
 * identity signature, and, when the browser handed over a cart with lines, the `cart` attribute (`null` clears it: an
 * order); then remember the browser as theirs. An empty browser cart leaves the attribute as it is: it says nothing of
 * the cart the customer left on another device or before a logout (which empties the browser), whose recovery email
 * would otherwise be cancelled by a login. `replaces`: the address the same form left just before, which this one corrects (freshBrowserIdFor).
 * `previousKeepsCart`: the customer signed in here before keeps their cart (freshBrowserIdFor). `before`: messageIds
 * of this person's calls already in the outbox that the identify goes ahead of (sendDurably). Returns what the
 * browser identifies with.
 */
export async function identifyCustomer(
  customer: Customer,
  {
    cart,
    replaces,
    previousKeepsCart,
    before,
  }: { cart?: readonly CartLineInput[] | null; replaces?: string; previousKeepsCart?: boolean; before?: string[] } = {},
): Promise<BrowserIdentity> {
  const traits = customerTraits(customer);
  const handsCart = cart === null || (cart !== undefined && cart.length > 0);
  const withCart = handsCart ? { ...traits, cart: cart && (await cartAttribute(cart)) } : traits;
  const fresh = await freshBrowserIdFor(customer.id, { replaces, previousKeepsCart });
  const calls = [await serverTracker().prepareIdentify(customer.id, withCart)];
  const correctedFrom = fresh?.corrected;
  if (correctedFrom) {
    // An email corrected minutes after it was left: the old id (and the cart and browsing stitched through it) moves
    // to the corrected customer, and the mistyped one has no cart left to recover (its recovery email would go to
    // whoever owns that address). The browser goes on with the new id, as after any identify of someone else.
    for (const anonymousId of correctedFrom.anonymousIds)
      calls.push(await serverTracker().prepareIdentify(customer.id, {}, { anonymousId }));
  }
  const cartLeft = correctedFrom?.customerId ?? fresh?.cartOf;
  if (cartLeft) calls.push(await serverTracker().prepareIdentify(cartLeft, { cart: null }, { anonymousId: null }));
  await sendDurably(calls, before);
  const anonymousId = await readRequestAnonymousId();
  if (anonymousId) {
    const db = await getDb();
    const at = new Date();
    if (correctedFrom) {
      // The ids moved are this customer's now; the new id is still the browser that left the corrected address, so
      // it may correct back to it (ada → adda → ada) and be that customer again, its history with it. Linked just
      // before, so this customer stays the browser's latest.
      const before = new Date(at.getTime() - 1);
      for (const moved of correctedFrom.anonymousIds) await rememberBrowser(db, customer.id, moved, before);
      await rememberBrowser(db, correctedFrom.customerId, anonymousId, before);
    }
    await rememberBrowser(db, customer.id, anonymousId, at, { cartSet: handsCart });
  }
  const identity = browserIdentity(customer);
  if (!anonymousId) return identity;
  const signature = await serverTracker().signIdentity(customer.id, identity.traits, { anonymousId });
  return { ...identity, anonymousId, signature };
}

/**
 * When a mirrored event happened: `ageMs` before now (the browser's count, lib/shop/domain/fields.ts `mirrorFields`),
 * as the browser's copy is dated; undefined (now) without it.
 */
export const happenedAt = (ageMs: number | undefined) =>
  ageMs === undefined ? undefined : new Date(Date.now() - ageMs).toISOString();

/**
 * The server copy of a cart event (`lines`: the cart after it), dated `ageMs` ago, and, for a known shopper, the
 * `cart` attribute that follows it (none for anonymous ones). Who the shopper is (knownCustomerId: a session read and
 * a database query) is looked up once for both.
 */
export async function mirrorCartChange<N extends CartEventName>(
  name: N,
  properties: EventProps<N>,
  { messageId, ageMs, lines }: { messageId: string; ageMs?: number; lines: readonly CartLineInput[] },
): Promise<void> {
  const customerId = (await knownCustomerId()) ?? null;
  const tracker = serverTracker();
  await sendDurably([
    await tracker.prepareTrack(name, properties, { messageId, userId: customerId, timestamp: happenedAt(ageMs) }),
    customerId ? await cartIdentify(customerId, lines) : null,
  ]);
  if (customerId) await cartSetHere(customerId);
}
type CartEventName = 'Added to Cart' | 'Removed from Cart' | 'Cart Restored' | 'Checkout Started';

/** A known shopper's `cart` attribute set to `lines`, with no event (none for an anonymous shopper). */
export async function followCart(lines: readonly CartLineInput[]): Promise<void> {
  const customerId = await knownCustomerId();
  if (!customerId) return;
  await sendDurably([await cartIdentify(customerId, lines)]);
  await cartSetHere(customerId);
}

const cartIdentify = async (customerId: string, lines: readonly CartLineInput[]) =>
  serverTracker().prepareIdentify(customerId, { cart: await cartAttribute(lines) }, { browserFollows: false });

/** This request's browser set the customer's `cart` attribute (see freshBrowserIdFor). */
async function cartSetHere(customerId: string) {
  const anonymousId = await readRequestAnonymousId();
  if (anonymousId) await rememberCartWrite(await getDb(), customerId, anonymousId);
}

/** The campaign that first brought this browser here, else `fallback` (where the shopper was captured). */
export async function acquisitionSource(fallback: string): Promise<string> {
  return readAcquisitionSource(await cookies()) ?? fallback;
}
