import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/ops/login-form';
import { PageHeader } from '@/components/ops/page-header';
import { consoleReturnPath, hasOpsSession } from '@/lib/cdp';

export const metadata = { title: 'Sign in · Ops console' };

export default async function OpsLoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { error, minutes, next } = await searchParams;
  // The page proxy.ts sent the visitor here from, if it is one of the console's.
  const back = consoleReturnPath(next);
  if (await hasOpsSession()) redirect(back);
  const wait = Number(minutes);
  return (
    <>
      <PageHeader title="Ops console">The console shows personal data, so it needs the ops token.</PageHeader>
      <LoginForm
        problem={error === 'invalid' ? 'invalid' : error === 'locked' ? 'locked' : null}
        retryInMinutes={Number.isInteger(wait) && wait > 0 ? wait : 15}
        next={back}
      />
    </>
  );
}
