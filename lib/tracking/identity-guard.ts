import { warnOnce } from './log';

/**
 * Identity rules, zod-free so the browser's first load can guard identify without the validators (README.md, "Identity rules"): identify only with the canonical customer id the server minted —
 * `cus_` plus a random id — never an email, a placeholder or the visitor's own anonymous id.
 */
export const CANONICAL_CUSTOMER_ID = /^cus_[A-Za-z0-9_-]{16,}$/;

/** A canonical customer id (the type identify takes once the guard has passed it). */
export type CustomerId = string;

export function isCanonicalCustomerId(id: unknown): id is CustomerId {
  return typeof id === 'string' && CANONICAL_CUSTOMER_ID.test(id);
}

/**
 * Values that end up as ids when code passes a placeholder or the wrong variable. Compared lower-cased and
 * unquoted.
 */
export const DENYLISTED_IDS: readonly string[] = [
  'anonymous',
  'guest',
  'null',
  'undefined',
  'none',
  'nan',
  '0',
  '-1',
  'true',
  'false',
  'id',
  'user_id',
  'distinct_id',
  'not_authenticated',
  'email',
  '[object object]',
];

export type IdentityRejection = 'not_a_string' | 'blank' | 'placeholder' | 'email' | 'anonymous_id' | 'not_canonical';

export class IdentityGuardError extends Error {
  readonly reason: IdentityRejection;
  constructor(reason: IdentityRejection, message: string) {
    super(message);
    this.name = 'IdentityGuardError';
    this.reason = reason;
  }
}

type GuardOptions = { anonymousId?: string | null };

const unquote = (value: string) =>
  value
    .trim()
    .replace(/^(['"`])(.*)\1$/s, '$2')
    .trim();

/** Why `id` may not be used with identify, or null when it may. */
export function identityRejection(
  id: unknown,
  { anonymousId }: GuardOptions = {},
): { reason: IdentityRejection; message: string } | null {
  if (typeof id !== 'string') {
    return {
      reason: 'not_a_string',
      message: `identify needs a canonical customer id string, got ${id === null ? 'null' : typeof id}`,
    };
  }
  const bare = unquote(id);
  const shown = JSON.stringify(id);
  if (bare === '') return { reason: 'blank', message: 'identify was called with a blank id' };
  if (DENYLISTED_IDS.includes(bare.toLowerCase())) {
    return {
      reason: 'placeholder',
      message: `identify was called with the placeholder ${shown}; pass the customer id the server returned`,
    };
  }
  if (bare.includes('@')) {
    return {
      reason: 'email',
      message: 'identify was called with an email address; emails are traits, the id is the canonical customer id',
    };
  }
  if (anonymousId && (bare === anonymousId || id === anonymousId)) {
    return {
      reason: 'anonymous_id',
      message: "identify was called with the visitor's own anonymous id; that would link nobody",
    };
  }
  if (!CANONICAL_CUSTOMER_ID.test(id)) {
    // Not the value itself: a wrong id is often personal data (a phone number, a username) and this message is logged.
    const hint = `a ${id.length}-character id starting ${JSON.stringify(id.slice(0, 4))}`;
    return {
      reason: 'not_canonical',
      message:
        `identify was called with ${hint}, which is not a canonical customer id ` +
        '(cus_ + 16 or more of A-Z a-z 0-9 _ -)',
    };
  }
  return null;
}

/** Throws IdentityGuardError unless `id` is a canonical customer id allowed by the rules. */
export function assertIdentifiable(id: unknown, options: GuardOptions = {}): asserts id is CustomerId {
  const rejection = identityRejection(id, options);
  if (rejection) throw new IdentityGuardError(rejection.reason, rejection.message);
}

/**
 * The guard every identify path goes through. Strict (development, tests): throws, because a bad id is a
 * programming error. Production: returns false so the caller skips the call, and logs once per reason.
 */
export function guardIdentify(
  id: unknown,
  { strict, anonymousId }: GuardOptions & { strict: boolean },
): id is CustomerId {
  const rejection = identityRejection(id, { anonymousId });
  if (!rejection) return true;
  if (strict) throw new IdentityGuardError(rejection.reason, rejection.message);
  warnOnce(`identity:${rejection.reason}`, `identify skipped: ${rejection.message}`);
  return false;
}
