import { z } from 'zod';
import { normalizeEmail } from '@/lib/common/email';
import { MIN_PASSWORD_LENGTH } from './field-limits';

/** Form fields shared by checkout, email capture and accounts, with messages a shopper can act on. */

/** Normalized (trimmed, lower-cased) before it is checked, so one address is always one customer. */
export const emailField = z
  .string({ error: 'Enter your email address.' })
  .overwrite(normalizeEmail)
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'));

/** PostgreSQL text cannot hold a NUL character (SQLite can): refuse it in the form rather than fail on save. */
export const withoutNul = (s: string) => !s.includes('\u0000');

export const nameField = z
  .string({ error: 'Enter your name.' })
  .trim()
  .min(1, 'Enter your name.')
  .max(100, 'Use at most 100 characters for your name.')
  .refine(withoutNul, 'Remove the control characters from your name.');

export const newPasswordField = z
  .string({ error: 'Choose a password.' })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`)
  .max(200, 'Use at most 200 characters for your password.');

/** The id a browser event and its server mirror share (UUID v4, made by the tracking layer). */
export const messageIdField = z.uuid({ version: 'v4', error: 'The tracking message id is missing or malformed.' });
