import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { OpsNav } from '@/components/ops/ops-nav';
import { SkipLink } from '@/components/layout/skip-link';
import { hasOpsSession } from '@/lib/cdp';

export const metadata: Metadata = { title: 'Ops console', robots: { index: false, follow: false } };

export default async function OpsLayout({ children }: { children: ReactNode }) {
  // The layout only decides the nav: a database that does not answer fails the page under it instead, where
  // ./error.tsx says so inside the console (an error here would leave only Next's bare error page).
  const signedIn = await hasOpsSession().catch(() => false);
  return (
    <div className="relative min-h-screen bg-stone-50">
      {signedIn ? (
        <>
          <SkipLink />
          <OpsNav />
        </>
      ) : null}
      <main id="main" className="mx-auto max-w-6xl px-6 py-8">
        {children}
      </main>
    </div>
  );
}
