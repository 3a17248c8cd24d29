import 'server-only';

import { Analytics } from '@customerio/cdp-analytics-node';
import { cookies, headers } from 'next/headers';
import { ANONYMOUS_ID_COOKIE, anonymousIdCookieOptions, readAnonymousId } from './cookies';
import { readConsentChoice, trackingAllowed, type ConsentMode } from './consent';
import { enforcePlan } from './enforce';
import { IdentityGuardError, enforceTraits, guardIdentify, type IdentifyTraits } from './identity';
import { IDENTITY_SIGNATURE_COOKIE, IDENTITY_SIGNATURE_TTL_MS, mintIdentitySignature } from './identity-signature';
import { newMessageId, uuidV4 } from './ids';
import { logError, warnOnce } from './log';
import { SCHEMA_VERSION, type EventName, type EventProps } from './plan';
import type { IdentifyOptions, PreparedCall, PreparedIdentify, PreparedTrack } from './prepared-call';

export type { IdentifyOptions, PreparedCall, PreparedIdentify, PreparedTrack } from './prepared-call';

export type ServerTrackerConfig = {
  /**
   * The SECRET server write key (`CDP_SERVER_WRITE_KEY` of a Glowlab pipeline), never the browser's public one:
   * the pipeline trusts calls made with it, and identity signatures are derived from it.
   */
  writeKey: string;
  /** Origin the node SDK posts to, e.g. `http://localhost:3000` or `https://cdp.customer.io`. */
  host: string;
  /** Absolute path resolved against host: `/api/cdp/v1/batch` for the local pipeline, `/v1/batch` for Customer.io. */
  path: string;
  /** The signed-in customer's canonical id for the current request, if any. */
  resolveUserId?: () => Promise<string | undefined | null>;
  /** Throw on plan violations and bad ids (development, tests); production logs and drops instead. */
  strict: boolean;
  /**
   * When set, calls made inside a request are sent only if that request's consent cookie allows tracking
   * (opt-in: nothing before Accept; opt-out: nothing after Decline). Outside a request the caller decides.
   */
  consentMode?: ConsentMode;
  /**
   * Whether cookies this tracker sets (the identity signature) get `Secure`. Default: the request came over https
   * (`x-forwarded-proto` first). A shop that decides it in one place passes its own.
   */
  secureCookies?: () => boolean | Promise<boolean>;
};

/**
 * `userId`: left out, the tracker asks `resolveUserId`; `null`, the caller already looked and the shopper is
 * anonymous (no second look-up). `anonymousId`: left out, the request's cookie; `null`, none. `timestamp`: when
 * it happened, for a call sent again later (an outbox); else now.
 */
export type SendOptions = {
  messageId?: string;
  anonymousId?: string | null;
  userId?: string | null;
  timestamp?: string;
};
/** `sent`: handed to the SDK. `delivered`: resolves true once the pipeline accepted it (never rejects). */
export type SendResult = { sent: boolean; messageId: string; delivered: Promise<boolean> };

type ClientRegistry = Map<string, Analytics>;
const REGISTRY = Symbol.for('tracking.node-analytics-clients');

/**
 * One long-lived client per process and endpoint, kept on globalThis so hot reloads reuse it. Never call
 * closeAndFlush on it in a request: that closes it for good. maxEventsInBatch 1 sends each call at once.
 */
function sharedClient({ writeKey, host, path }: ServerTrackerConfig): Analytics {
  const store = globalThis as unknown as Record<symbol, ClientRegistry | undefined>;
  const registry = (store[REGISTRY] ??= new Map());
  const key = `${host}|${path}|${writeKey}`;
  let client = registry.get(key);
  if (!client) {
    client = new Analytics({
      writeKey,
      host,
      path,
      maxEventsInBatch: 1,
      flushInterval: 200,
      maxRetries: 2,
      httpRequestTimeout: 5000,
    });
    client.on('error', (err: unknown) =>
      warnOnce(`server-delivery:${host}${path}`, `server events could not be delivered to ${host}${path}`, err),
    );
    registry.set(key, client);
  }
  return client;
}

/** The anonymous id cookie of the current request, or null outside a request or without one. */
export async function readRequestAnonymousId(): Promise<string | null> {
  try {
    return readAnonymousId(await cookies());
  } catch {
    return null; // not inside a request (scripts, tests, background work)
  }
}

/** Whether the current request's consent cookie allows tracking under `mode`; true outside a request. */
export async function requestAllowsTracking(mode: ConsentMode): Promise<boolean> {
  let store: Awaited<ReturnType<typeof cookies>>;
  try {
    store = await cookies();
  } catch {
    return true; // not inside a request: scripts and background jobs pass explicit ids and decide themselves
  }
  return trackingAllowed(mode, readConsentChoice(store));
}

/**
 * Logout: a fresh anonymous id, so the next shopper on this device is not merged into the previous one.
 * Call from a server action or route handler, return the id, and call the browser's `reset(id)` with it. Respects
 * consent: null when tracking is not allowed (no id).
 */
export async function rotateAnonymousIdCookie({
  consentMode,
  secure,
}: {
  consentMode: ConsentMode;
  secure: boolean;
}): Promise<string | null> {
  const store = await cookies();
  // A signature for the previous anonymous id is of no use to the next shopper.
  store.delete(IDENTITY_SIGNATURE_COOKIE);
  if (!trackingAllowed(consentMode, readConsentChoice(store))) return null;
  const id = uuidV4();
  store.set(ANONYMOUS_ID_COOKIE, id, anonymousIdCookieOptions({ secure }));
  return id;
}

async function requestIsHttps(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

export function createServerTracker(config: ServerTrackerConfig) {
  const client = () => sharedClient(config);

  const skipped = (messageId: string): SendResult => ({ sent: false, messageId, delivered: Promise.resolve(false) });
  const consented = () => (config.consentMode ? requestAllowsTracking(config.consentMode) : Promise.resolve(true));

  function delivery(): [Promise<boolean>, (err?: unknown) => void] {
    let settle!: (ok: boolean) => void;
    const delivered = new Promise<boolean>((resolve) => (settle = resolve));
    return [delivered, (err) => settle(err === undefined)];
  }

  const mint = (userId: string, anonymousId: string | null, traits: IdentifyTraits) =>
    mintIdentitySignature(config.writeKey, { userId, anonymousId, email: traits.email ?? null });

  /**
   * The identity signature for `customerId` with this request's anonymous id and `traits.email`, or null when
   * tracking is not allowed: for a server component that renders `<IdentifyOnce signature>`.
   */
  async function signIdentity(
    customerId: string,
    traits: IdentifyTraits = {},
    options: { anonymousId?: string | null } = {},
  ): Promise<string | null> {
    if (!(await consented())) return null;
    return mint(customerId, options.anonymousId ?? (await readRequestAnonymousId()), traits);
  }

  /**
   * Hands the browser the signature for the identify it is about to make, as a 10-minute cookie the source
   * middleware reads (server actions and route handlers can set cookies; elsewhere there is nothing to hand over).
   */
  async function handSignatureToBrowser(token: string): Promise<void> {
    try {
      const secure = await (config.secureCookies ?? requestIsHttps)();
      (await cookies()).set(IDENTITY_SIGNATURE_COOKIE, token, {
        path: '/',
        maxAge: IDENTITY_SIGNATURE_TTL_MS / 1000,
        sameSite: 'lax',
        httpOnly: false,
        secure,
      });
    } catch {
      // not in a server action or route handler (a script, a server component): no browser to hand it to
    }
  }

  async function who(options: SendOptions): Promise<{ userId?: string; anonymousId?: string } | null> {
    // null: none, as for identifyServer (a call sent later, outside the browser's request); left out: the cookie's.
    const anonymousId =
      options.anonymousId === null ? undefined : (options.anonymousId ?? (await readRequestAnonymousId()) ?? undefined);
    let userId = options.userId ?? undefined;
    if (options.userId === undefined && config.resolveUserId) {
      userId =
        (await config.resolveUserId().catch((err: unknown) => logError('resolveUserId failed', err))) ?? undefined;
    }
    if (userId !== undefined && !guardIdentify(userId, { strict: config.strict, anonymousId })) userId = undefined;
    if (!userId && !anonymousId) {
      warnOnce('server:no-identity', 'server event skipped: no anonymous id cookie and no signed-in customer');
      return null;
    }
    return { ...(userId ? { userId } : {}), ...(anonymousId ? { anonymousId } : {}) };
  }

  /**
   * A track call with everything decided now (consent, ids, plan check), to be sent now or later identically: or
   * null when it is not to be sent (declined, no id, or a plan violation outside strict mode).
   */
  async function prepareTrack<N extends EventName>(
    name: N,
    properties: EventProps<N>,
    options: SendOptions & { messageId: string },
  ): Promise<PreparedTrack | null> {
    const props = { ...properties, schema_version: SCHEMA_VERSION } as Record<string, unknown>;
    // Strict mode throws here: a plan violation is a programming error. Everything else is logged, never thrown.
    if (!enforcePlan({ type: 'track', event: name, properties: props }, { strict: config.strict })) return null;
    try {
      if (!(await consented())) return null;
      const identity = await who(options);
      if (!identity) return null;
      return {
        type: 'track',
        event: name,
        properties: props,
        userId: identity.userId ?? null,
        anonymousId: identity.anonymousId ?? null,
        messageId: options.messageId,
        timestamp: options.timestamp ?? new Date().toISOString(),
      };
    } catch (err) {
      if (config.strict && err instanceof IdentityGuardError) throw err;
      logError(`server event "${name}" was not sent`, err);
      return null;
    }
  }

  /** Hands a prepared call to the SDK as it is (ids, messageId and time included). */
  function deliver(call: PreparedCall): SendResult {
    const [delivered, done] = delivery();
    const ids = {
      ...(call.userId ? { userId: call.userId } : {}),
      ...(call.anonymousId ? { anonymousId: call.anonymousId } : {}),
    };
    const common = { ...ids, messageId: call.messageId, timestamp: call.timestamp };
    if (call.type === 'track')
      client().track(
        { ...common, event: call.event, properties: call.properties } as Parameters<Analytics['track']>[0],
        done,
      );
    else client().identify({ ...common, traits: call.traits } as Parameters<Analytics['identify']>[0], done);
    return { sent: true, messageId: call.messageId, delivered };
  }

  async function send<N extends EventName>(
    name: N,
    properties: EventProps<N>,
    options: SendOptions,
  ): Promise<SendResult> {
    const messageId = options.messageId ?? newMessageId();
    const call = await prepareTrack(name, properties, { ...options, messageId });
    return call ? deliver(call) : skipped(messageId);
  }

  /**
   * An identify with everything decided now (consent, ids, guards), or null when it is not to be sent; hands the
   * browser its identity signature as identifyServer does (see there).
   */
  async function prepareIdentify(
    customerId: string,
    traits: IdentifyTraits = {},
    options: IdentifyOptions = {},
  ): Promise<PreparedIdentify | null> {
    if (!(await consented())) return null;
    const anonymousId = options.anonymousId === undefined ? await readRequestAnonymousId() : options.anonymousId;
    if (!guardIdentify(customerId, { strict: config.strict, anonymousId })) return null;
    if (!enforceTraits(traits, config.strict)) return null;
    // The browser identifies next (README, "When a shopper becomes known"): it needs the signature for it. Not
    // when no browser is linked: whoever opened the link need not be this person.
    // `browserFollows: false` (an attribute only the server sets, such as the cart): no browser identify follows,
    // and a token for these traits (without the email) would replace the one the browser's next identify needs.
    if (options.anonymousId === undefined && anonymousId && options.browserFollows !== false)
      await handSignatureToBrowser(await mint(customerId, anonymousId, traits));
    return {
      type: 'identify',
      userId: customerId,
      anonymousId: anonymousId ?? null,
      traits,
      messageId: options.messageId ?? newMessageId(),
      timestamp: options.timestamp ?? new Date().toISOString(),
    };
  }

  return {
    /** Mirrors a browser event from a server action with the SAME messageId, so the pipeline keeps one copy. */
    mirror<N extends EventName>(name: N, properties: EventProps<N>, options: SendOptions & { messageId: string }) {
      return send(name, properties, options);
    },
    /** An event only the server knows (Order Completed). Gets its own messageId unless one is given. */
    trackServerOnly<N extends EventName>(name: N, properties: EventProps<N>, options: SendOptions = {}) {
      return send(name, properties, options);
    },
    /**
     * identify from the server (e.g. right after an order), guarded like the browser's identify. The request's
     * anonymous id cookie is linked unless `anonymousId` is given; `null` links none (a link opened on a device
     * that need not be the person's, such as an unsubscribe link). When it links the request's browser, in a
     * server action or route handler it also sets the 10-minute identity signature cookie for the browser's
     * identify.
     */
    async identifyServer(
      customerId: string,
      traits: IdentifyTraits = {},
      options: IdentifyOptions = {},
    ): Promise<SendResult> {
      const call = await prepareIdentify(customerId, traits, options);
      return call ? deliver(call) : skipped(options.messageId ?? newMessageId());
    },
    /**
     * The calls above decided in this request but not sent: for a caller that stores them first (an outbox) and
     * sends them with `deliver`, or again later through identifyServer/trackServerOnly with the stored ids,
     * messageId and timestamp (this shop's outbox, lib/shop/server/event-outbox.ts, does the latter every time).
     */
    prepareTrack<N extends EventName>(name: N, properties: EventProps<N>, options: SendOptions = {}) {
      return prepareTrack(name, properties, { ...options, messageId: options.messageId ?? newMessageId() });
    },
    prepareIdentify,
    deliver,
    signIdentity,
  };
}

export type ServerTracker = ReturnType<typeof createServerTracker>;
