'use client';

import { useActionState } from 'react';
import { identify } from '@/lib/tracking/browser';
import { joinNewsletter, type JoinResult } from './actions';

export function JoinForm() {
  const [result, join, pending] = useActionState(async (previous: JoinResult, form: FormData) => {
    const next = await joinNewsletter(previous, form);
    // The browser identifies too, so its later calls carry the id (the guard accepts only canonical ids).
    if (next?.ok) identify(next.customerId, next.traits);
    return next;
  }, null);

  if (result?.ok) return <p role="status">Thanks, {result.traits.email} is on the list.</p>;
  return (
    <form action={join}>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="email" required />
      <button type="submit" disabled={pending}>
        {pending ? 'Joining…' : 'Join'}
      </button>
      {result && !result.ok && <p role="alert">{result.error}</p>}
    </form>
  );
}
