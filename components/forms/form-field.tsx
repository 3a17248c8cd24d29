import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import type { ActionFailure } from '@/lib/shop/action';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'> & {
  name: string;
  label: ReactNode;
  /** The failed submission, if any: supplies this field's errors and the value to keep. */
  failure?: ActionFailure;
  hint?: string;
};

/** The id, error messages and aria-describedby of one field; unique per instance (forms can share a page). */
function useFieldIds(name: string, failure: ActionFailure | undefined, hint: string | undefined) {
  const errors = failure?.fieldErrors?.[name];
  const id = `${useId()}${name}`;
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return { id, errors, described };
}

function FieldNotes({ id, hint, errors }: { id: string; hint?: string; errors?: string[] }) {
  return (
    <>
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
    </>
  );
}

const labelClass = 'mb-1 block text-sm font-medium text-stone-800';

/** A labelled input whose error and hint are tied to it with aria-describedby. */
export function FormField({ name, label, failure, hint, defaultValue, className, ...input }: Props) {
  const { id, errors, described } = useFieldIds(name, failure, hint);
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        className="field"
        aria-invalid={errors ? true : undefined}
        aria-describedby={described}
        defaultValue={failure?.values?.[name] ?? defaultValue}
        {...input}
      />
      <FieldNotes id={id} hint={hint} errors={errors} />
    </div>
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
  const { id, errors, described } = useFieldIds(name, failure, hint);
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="field"
        aria-invalid={errors ? true : undefined}
        aria-describedby={described}
        {...select}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} errors={errors} />
    </div>
  );
}

/** The form-level message; focusable so keyboard and screen-reader users land on it after a failure. */
export function FormAlert({ failure }: { failure?: ActionFailure }) {
  if (!failure) return null;
  return (
    <p
      role="alert"
      tabIndex={-1}
      data-form-alert
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
    >
      {failure.error}
    </p>
  );
}
