import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';

export type FieldErrors = Partial<Record<string, string[]>>;

/** What every server action returns: data on success, or messages a form can show beside its fields. */
export type ActionFailure = {
  ok: false;
  /** One sentence for the form's alert. */
  error: string;
  /** Messages per top-level field name, for aria-describedby hints. */
  fieldErrors?: FieldErrors;
  /** The text fields as submitted (never passwords), so a form can keep what the person typed. */
  values?: Record<string, string>;
};
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;

function fromFormData(form: FormData): Record<string, unknown> {
  // React adds `$ACTION_*` bookkeeping entries to forms that post to actions.
  return Object.fromEntries([...form.entries()].filter(([key]) => !key.startsWith('$ACTION')));
}

function echoValues(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw).filter(([key, v]) => typeof v === 'string' && !/password/i.test(key));
  return Object.fromEntries(entries) as Record<string, string>;
}

const UNREADABLE = 'This form could not be read. Reload the page and try again.';

/**
 * Where an issue goes and what it says. Not an object at all (a request no form of ours sends) would otherwise be
 * answered with zod's "Invalid input: expected object, received null".
 */
function shopperMessage(issue: z.core.$ZodIssue): { field: string; message: string } {
  const field = String(issue.path[0] ?? 'form');
  return { field, message: issue.path.length === 0 && issue.code === 'invalid_type' ? UNREADABLE : issue.message };
}

export function failure(error: string, fieldErrors?: FieldErrors, values?: Record<string, string>): ActionFailure {
  return { ok: false, error, ...(fieldErrors && { fieldErrors }), ...(values && { values }) };
}

/**
 * The one wrapper every server action goes through: parses FormData or a plain object with `schema`,
 * turns zod issues into field errors, and turns unexpected exceptions into a polite message instead of
 * a crashed page (Next's redirect/notFound signals still pass through). A handler may return a failure
 * carrying more than the message (checkout's new quote); the result type keeps it.
 */
export function validatedAction<S extends z.ZodType, R extends ActionResult>(
  schema: S,
  handler: (input: z.output<S>) => Promise<R>,
): (raw: unknown) => Promise<R | ActionFailure> {
  return async (raw) => {
    const input = raw instanceof FormData ? fromFormData(raw) : raw;
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: FieldErrors = {};
      // Once each: a schema made of two (`a.and(b)`) reports input that is no object at all from both halves.
      const byText = new Map(parsed.error.issues.map(shopperMessage).map((i) => [`${i.field}\u0000${i.message}`, i]));
      const issues = [...byText.values()];
      for (const { field, message } of issues) (fieldErrors[field] ??= []).push(message);
      const error = issues.length === 1 ? issues[0]!.message : `Please fix the ${issues.length} problems below.`;
      return failure(error, fieldErrors, echoValues(input));
    }
    try {
      return await handler(parsed.data);
    } catch (err) {
      unstable_rethrow(err);
      console.error('[action] failed:', err);
      return failure('Something went wrong on our side. Please try again in a moment.', undefined, echoValues(input));
    }
  };
}
