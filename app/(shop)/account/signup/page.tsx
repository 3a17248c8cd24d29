import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/auth-page';

export const metadata: Metadata = { title: 'Create an account' };

export default function SignupPage() {
  return (
    <AuthPage
      mode="signup"
      title="Create an account"
      intro="Ordered with us as a guest before? Use the same email and we will keep everything under one profile."
    />
  );
}
