/** Trimmed and lower-cased, so `Ada@Example.com ` and `ada@example.com` are one customer and one person. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** For values that may hold anything (identify traits): a non-blank string normalized, anything else null. */
export const normalizeEmailOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() ? normalizeEmail(value) : null;
