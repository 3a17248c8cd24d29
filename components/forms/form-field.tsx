import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ActionFailure } from '@/lib/shop/server/action';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'> & {
  name: string;
  label: ReactNode;
  /** The failed submission, if any: supplies this field's errors and the value to keep. */
  failure?: ActionFailure;
  hint?: string;
};

/** A labelled input whose error and hint are tied to it with aria-describedby. */
export function FormField({ name, label, failure, hint, defaultValue, className, ...input }: Props) {
  const errors = failure?.fieldErrors?.[name];
  // Unique per instance: the popup's email field can share a page with another form's.
  const id = `${useId()}${name}`;
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
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
