import 'server-only';
import {
  IDENTITY_SIGNATURE_CONTEXT_KEY,
  verifyIdentitySignature,
  type IdentitySignatureCheck,
  type IdentitySignatureFailure,
} from '@/lib/tracking/identity-signature';
import type { IngestMessage } from '@/lib/cdp/model/message';
import type { IdentityViolation, UnverifiedUserIdViolation } from '@/lib/cdp/model/quality';
import type { IdentityCheck } from '@/lib/cdp/model/stored-event';

/**
 * The first step of every ingest, in local mode and before forwarding: who may change an identity. The browser
 * write key is public, so an identify with a userId or an alias sent with it counts only with a valid identity
 * signature (lib/tracking/identity-signature.ts) minted by the shop's server for exactly that userId, anonymous id
 * (alias: previousId) and email. Calls sent with the server write key are the shop's server: trusted as they are.
 * Any other browser call naming a userId (track, page, screen, group) joins that person only when its anonymous id
 * is already linked to them (identity/placement.ts) or it carries such a signature for its userId and anonymous id:
 * `needsLink` says the placement has to check the link.
 */
export type IdentityVerdict =
  | { check: null }
  | { check: Exclude<IdentityCheck, 'unverified' | null> }
  | { check: 'unverified'; reason: IdentitySignatureFailure };

export type VerifiedCall = { message: IngestMessage; identity: IdentityVerdict; needsLink: boolean };

/** identify with a userId links, stitches, merges and sets traits; alias merges or links. */
export const changesIdentity = (message: IngestMessage) =>
  (message.type === 'identify' && !!message.userId) || message.type === 'alias';

/** A call that changes no identity but names a person: with a userId it goes to them (README rule 4). */
const namesUser = (message: IngestMessage) => !!message.userId && !changesIdentity(message);

/**
 * Verifies every call of a request. The signature is spent here: it is taken out of `context`, so it is neither
 * stored nor forwarded. `now` is wall time (the shop signs on the wall clock, whatever the pipeline clock says).
 * Only calls that carry a signature or change an identity wait for a check; the others (nearly all of a browser
 * batch) are settled at once, with no promise of their own (issue 13).
 */
export async function verifyIdentityCalls(
  messages: readonly IngestMessage[],
  opts: { trusted: boolean; serverWriteKey: string; now: Date },
): Promise<VerifiedCall[]> {
  const calls = messages.map((original) => verifyCall(original, opts));
  return calls.some((call) => call instanceof Promise) ? Promise.all(calls) : (calls as VerifiedCall[]);
}

function verifyCall(
  original: IngestMessage,
  opts: { trusted: boolean; serverWriteKey: string; now: Date },
): VerifiedCall | Promise<VerifiedCall> {
  // A call without a signature is kept as it is: the copy without one was the same call again.
  let message = original;
  let token: unknown;
  if (Object.hasOwn(original.context, IDENTITY_SIGNATURE_CONTEXT_KEY)) {
    const { [IDENTITY_SIGNATURE_CONTEXT_KEY]: spent, ...context } = original.context;
    token = spent;
    message = { ...original, context };
  }
  const verify = async (): Promise<IdentitySignatureCheck> => {
    const hasEmail = message.type === 'identify' && Object.hasOwn(message.traits, 'email');
    const email = hasEmail ? message.traits.email : undefined;
    const check = await verifyIdentitySignature(
      opts.serverWriteKey,
      token,
      {
        userId: message.userId!,
        anonymousId: message.type === 'alias' ? message.previousId : message.anonymousId,
        email: typeof email === 'string' ? email : null,
      },
      opts.now,
    );
    // A signature covers an email as text only: any other value sent as traits.email (an array, an object, a
    // number, null) is an email it does not cover, never one applied as signed.
    return check.ok && hasEmail && typeof email !== 'string' ? { ok: false, reason: 'wrong_email' } : check;
  };
  if (!changesIdentity(message)) {
    // Only a call that carries a token pays for checking it; the SDK's own calls are vouched for by the link.
    const needsLink = !opts.trusted && namesUser(message);
    if (!needsLink || token === undefined) return { message, identity: { check: null }, needsLink };
    return verify().then((check) => ({ message, identity: { check: null }, needsLink: !check.ok }));
  }
  if (opts.trusted) return { message, identity: { check: 'server' }, needsLink: false };
  return verify().then((check) => ({
    message,
    identity: check.ok ? { check: 'signed' } : { check: 'unverified', reason: check.reason },
    needsLink: false,
  }));
}

const EXPLANATIONS: Record<IdentitySignatureFailure, string> = {
  missing: 'carries no identity signature',
  malformed: 'carries an identity signature that cannot be read',
  bad_signature: 'carries an identity signature the shop did not make',
  expired: 'carries an identity signature that has expired',
  wrong_user: 'carries an identity signature made for another userId',
  wrong_anonymous_id: 'carries an identity signature made for another anonymous id',
  wrong_email: 'sets an email its identity signature does not cover',
};

/** The data-quality record of a held call: why it was not applied. */
export function identityViolation(message: IngestMessage, reason: IdentitySignatureFailure): IdentityViolation {
  return {
    kind: 'unverified_identity',
    reason,
    path: `context.${IDENTITY_SIGNATURE_CONTEXT_KEY}`,
    message:
      `${message.type === 'alias' ? 'alias' : 'identify'} from the browser write key ${EXPLANATIONS[reason]}: ` +
      'held back (not stitched, merged, aliased, forwarded, and no traits changed)',
  };
}

/** The data-quality record of a browser call whose userId was not vouched for: kept on its anonymous profile. */
export function unverifiedUserIdViolation(message: IngestMessage): UnverifiedUserIdViolation {
  return {
    kind: 'unverified_user_id',
    path: 'userId',
    message:
      `${message.type} from the browser write key names userId ${message.userId}, to which its anonymous id is not ` +
      'linked (no signed identify) and which no identity signature covers: kept on the anonymous profile, not forwarded',
  };
}
