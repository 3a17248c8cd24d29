/**
 * Limits the forms show in the browser (minLength, hints) and the server's schemas (./fields.ts) enforce. Apart
 * from ./fields.ts so that a form importing them does not bring zod into its page's first load.
 */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest password an account may have: a longer one is never hashed (scrypt over 1 MB is a cost to us). */
export const MAX_PASSWORD_LENGTH = 200;
