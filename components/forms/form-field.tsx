import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import type { ActionFailure } from '@/lib/shop/server/action';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'> & {
  name: string;
  label: ReactNode;
  /** The failed submission, if any: supplies this field's errors and the value to keep. */
  failure?: ActionFailure;
  hint?: string;
  /** The hint and errors change without a submission moving focus here (see Field's `live`). */
  live?: boolean;
};

type ControlProps = {
  id: string;
  name: string;
  className: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/**
 * Label, control and notes of one field: the hint and the errors are tied to the control with
 * aria-describedby. The id is unique per instance (the popup's email field can share a page with another's).
 * `live`: the notes sit in a polite live region, for a field whose answer arrives while focus stays where it was (the
 * discount code's, after Apply or Enter); a form's fields are read out when a failed submission focuses them.
 */
function Field(props: {
  name: string;
  label: ReactNode;
  failure?: ActionFailure;
  hint?: string;
  live?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const { name, label, failure, hint, live, className, children } = props;
  const errors = failure?.fieldErrors?.[name];
  const id = `${useId()}${name}`;
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children({
        id,
        name,
        className: 'field',
        'aria-invalid': errors ? true : undefined,
        'aria-describedby': described,
      })}
      {/* Always rendered when live: a region added with its text is not announced. */}
      <Notes live={live}>
        {hint && (
          <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
            {hint}
          </p>
        )}
        {errors && (
          <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
            {errors.join(' ')}
          </p>
        )}
      </Notes>
    </div>
  );
}

const Notes = ({ live, children }: { live?: boolean; children: ReactNode }) =>
  live ? <div aria-live="polite">{children}</div> : children;

/**
 * Spread on an email FormField. `type="text"`, not `type="email"`: HTML's email type holds ASCII addresses only
 * (Chromium sends a Unicode domain as punycode and finds `josé@…` invalid), while the shop takes internationalised
 * ones (lib/tracking/email.ts). `inputMode` keeps the phone's email keyboard; the server validates.
 */
export const EMAIL_INPUT = {
  type: 'text',
  inputMode: 'email',
  autoComplete: 'email',
  autoCapitalize: 'none',
  spellCheck: false,
} as const;

/** A labelled input whose error and hint are tied to it with aria-describedby. */
export function FormField({ name, label, failure, hint, live, defaultValue, className, ...input }: Props) {
  return (
    <Field name={name} label={label} failure={failure} hint={hint} live={live} className={className}>
      {(control) => <input {...control} defaultValue={failure?.values?.[name] ?? defaultValue} {...input} />}
    </Field>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id' | 'children'> & {
  name: string;
  label: ReactNode;
  options: readonly { value: string; label: string }[];
  /** A first, empty option ("Choose a state"): the field has no value until the person picks one. */
  placeholder?: string;
  failure?: ActionFailure;
  hint?: string;
};

/** A labelled select, wired like FormField. Controlled by the caller (value + onChange). */
export function SelectField({ name, label, options, placeholder, failure, hint, className, ...select }: SelectProps) {
  return (
    <Field name={name} label={label} failure={failure} hint={hint} className={className}>
      {(control) => (
        <select {...control} {...select}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * The form-level message (useActionForm's `alert`); focusable so keyboard and screen-reader users land on it
 * after a failure that no field explains. `children` follow the message inside the alert (a link to act on it).
 */
export function FormAlert({ message, children }: { message?: string; children?: ReactNode }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      tabIndex={-1}
      data-form-alert
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
    >
      {message}
      {children && <> {children}</>}
    </p>
  );
}
