'use client';

import { Link } from '@/components/layout/link';
import { useRouter } from 'next/navigation';
import { EMAIL_INPUT, FormAlert, FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import type { logIn, signUp } from '@/lib/shop/actions/auth';
import { MIN_PASSWORD_LENGTH } from '@/lib/shop/domain/field-limits';
import { cartSnapshot, identifyShopper } from '@/lib/shop/client/shopper';
import { track } from '@/lib/tracking/browser';

const modes = {
  login: {
    event: 'Logged In',
    submit: 'Log in',
    pending: 'Logging in…',
    switchText: 'New to Glowlab?',
    switchLink: { href: '/account/signup', label: 'Create an account' },
  },
  signup: {
    event: 'Signed Up',
    submit: 'Create account',
    pending: 'Creating your account…',
    switchText: 'Already have an account?',
    switchLink: { href: '/account/login', label: 'Log in' },
  },
} as const;

/** Login and signup: the same form, signup adds a name and asks for a new password. */
export function AuthForm({ mode, action }: { mode: keyof typeof modes; action: typeof logIn | typeof signUp }) {
  const router = useRouter();
  const m = modes[mode];
  // The cart goes along, so the server's identify can set the `cart` attribute recovery emails read.
  const submit = (form: FormData) => {
    form.set('cart', JSON.stringify(cartSnapshot()));
    return action(form);
  };
  const { formProps, pending, failure, alertText } = useActionForm(submit, (result) => {
    // The server identified already; the SDK identifies too (same anonymous id; over another customer signed in
    // here, their cart and checkout draft are left behind first), then the account event.
    identifyShopper(result);
    track(m.event, { method: 'password' });
    router.replace('/account');
    router.refresh();
  });

  return (
    <form {...formProps} noValidate className="space-y-4" aria-busy={pending}>
      <FormAlert message={alertText} />
      {mode === 'signup' && <FormField name="name" label="Name" autoComplete="name" required failure={failure} />}
      <FormField name="email" label="Email" {...EMAIL_INPUT} required failure={failure} />
      <FormField
        name="password"
        label="Password"
        type="password"
        required
        failure={failure}
        autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
        minLength={mode === 'signup' ? MIN_PASSWORD_LENGTH : undefined}
        hint={mode === 'signup' ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
      />
      <button type="submit" className="btn-primary w-full" disabled={pending}>
        {pending ? m.pending : m.submit}
      </button>
      <p className="text-center text-sm text-stone-600">
        {m.switchText}{' '}
        <Link href={m.switchLink.href} className="font-medium text-brand underline-offset-2 hover:underline">
          {m.switchLink.label}
        </Link>
      </p>
    </form>
  );
}
