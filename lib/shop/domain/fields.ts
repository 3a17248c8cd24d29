import { z } from 'zod';
import { normalizeEmail } from '@/lib/tracking/email';
import { emailSchema } from '@/lib/tracking/email-schema';
import { hasLoneSurrogate } from '@/lib/common/unicode';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './field-limits';

/** Form fields shared by checkout, email capture and accounts, with messages a shopper can act on. */

/**
 * Normalized (trimmed, NFC, lower-cased) before it is checked, so one address is always one customer.
 * Internationalised addresses (`josé@exemple.fr`) are accepted: see lib/tracking/email.ts.
 */
export const emailField = z
  .string({ error: 'Enter your email address.' })
  .overwrite(normalizeEmail)
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(emailSchema('Enter a valid email address, like name@example.com.'));

// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they make the text
// after them read in another order wherever it is shown (the ops console, emails, the order page), so a name could
// pass for another. Right-to-left text needs none of them; the marks (U+200E, U+200F) stay allowed.
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

// C0 and C1 control characters but the tab (a paste from a spreadsheet keeps it): no form field can hold a line
// break, so one arrives only in a hand-made request; invisible or acted on (a line break in a plain-text email, an
// escape sequence in a terminal reading the logs) wherever the text is shown. NUL among them: PostgreSQL text cannot
// hold it (SQLite can).
const CONTROLS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

/**
 * A text field (`what`: "name", "city"…) refusing, with a sentence the shopper can act on, control characters
 * (above), a lone UTF-16 surrogate (stored as bytes that read back as other text on both databases) and
 * text-direction controls (above).
 */
export const storableText = (field: z.ZodString, what: string) =>
  field
    .refine((s) => !CONTROLS.test(s), `Remove the control characters from your ${what}.`)
    .refine((s) => !DIRECTION_CONTROLS.test(s), `Remove the text-direction control characters from your ${what}.`)
    .refine(
      (s) => !hasLoneSurrogate(s),
      `Your ${what} has a broken character (half of an emoji or symbol): retype it.`,
    );

export const nameField = storableText(
  z
    .string({ error: 'Enter your name.' })
    .trim()
    .min(1, 'Enter your name.')
    .max(100, 'Use at most 100 characters for your name.'),
  'name',
);

/** Hashed as UTF-8, where every lone surrogate turns into the same U+FFFD: two such passwords would be one. */
export const newPasswordField = z
  .string({ error: 'Choose a password.' })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters for your password.`)
  .refine((s) => !hasLoneSurrogate(s), 'Your password has a broken character (half of an emoji or symbol): retype it.');

/** The id a browser event and its server mirror share (UUID v4, made by the tracking layer). */
export const messageIdField = z.uuid({ version: 'v4', error: 'The tracking message id is missing or malformed.' });

/** The oldest a mirror may date its event: mirrors wait in the browser for consent or settings, not for hours. */
export const MIRROR_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * What a server action mirroring a browser event takes besides its fields: the shared messageId, and how long ago
 * (ms, by the browser's own clock, so its skew does not matter) the browser tracked it, for the server copy to be
 * dated then too (lib/shop/client/mirror.ts). Older than MIRROR_MAX_AGE_MS counts as that old; left out, now.
 */
export const mirrorFields = {
  messageId: messageIdField,
  ageMs: z
    .number({ error: 'The tracking event age must be a number of milliseconds.' })
    .int('The tracking event age must be a whole number of milliseconds.')
    .nonnegative('The tracking event age cannot be negative.')
    .transform((ms) => Math.min(ms, MIRROR_MAX_AGE_MS))
    .optional(),
};
