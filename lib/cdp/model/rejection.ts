/**
 * Why the ingest refused a call (lib/cdp/ingest). Customer.io answers 200 to such calls unless the request sends
 * `X-Strict-Mode: 1`; either way each one is recorded (`cdp_rejections`) and shown in the ops console.
 */
export const REJECTION_REASONS = [
  /** Missing or wrong write key: nothing in the request was stored. */
  'write_key',
  /** Nested deeper than 32 levels, or text that is not well-formed Unicode. */
  'misshapen',
  /** Larger than 32 KB. */
  'too_large',
  /** The envelope: type, ids, event name, timestamps, object fields. */
  'invalid',
  /** `User Deleted`/`User Suppressed`/`User Unsuppressed` sent with the public browser key. */
  'untrusted',
  /** The userId was suppressed (`User Suppressed`) and not unsuppressed since. */
  'suppressed',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** One refused call as the ingest records it (`cdp_rejections`); `call` is cut to a few KB before it is stored. */
export type RejectedCall = {
  reason: RejectionReason;
  problems: { path: string; message: string }[];
  call: unknown;
  messageId: string | null;
};

/** Customer.io's X-Strict-Mode: `1` turns the 200 into its 400/401 answers; any other value is permissive. */
export const isStrictMode = (header: string | null) => header?.trim() === '1';
