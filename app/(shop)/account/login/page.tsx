import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/auth-page';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return <AuthPage mode="login" title="Log in" intro="Welcome back. Log in to see your orders." />;
}
