import { redirect } from 'next/navigation';
import { logIn, signUp } from '@/lib/shop/actions/auth';
import { getSession } from '@/lib/shop/server/auth/session';
import { AuthForm } from './auth-form';

/** The login and signup pages: a signed-in visitor goes straight to their account. */
export async function AuthPage({ mode, title, intro }: { mode: 'login' | 'signup'; title: string; intro: string }) {
  if (await getSession()) redirect('/account');
  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 mb-8 text-stone-600">{intro}</p>
      {/* The action goes as a prop: the form's chunk then holds no reference to the other page's action. */}
      <AuthForm mode={mode} action={mode === 'login' ? logIn : signUp} />
    </div>
  );
}
