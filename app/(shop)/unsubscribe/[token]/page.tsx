import type { Metadata } from 'next';
import { Link } from '@/components/layout/link';
import { UnsubscribeForm } from '@/components/account/unsubscribe-form';
import { decodeParam } from '@/lib/common/http';
import { verifyUnsubscribeToken } from '@/lib/common/unsubscribe-token';

export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false, follow: false } };

/**
 * The `{% unsubscribe_url %}` link of every recovery email sent by the local pipeline (in Customer.io the tag
 * renders Customer.io's own page). Checks the signed token, then asks for one click. A link that never was one is
 * answered 404 (proxy.ts, lib/shop/server/link-pages.ts) with the page below saying so.
 */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeParam((await params).token);
  const valid = verifyUnsubscribeToken(token).ok;
  return (
    <div className="mx-auto flex max-w-xl flex-col items-center px-4 py-24 text-center">
      {valid ? (
        <>
          <h1 className="text-3xl font-semibold tracking-tight">Unsubscribe from Glowlab emails?</h1>
          <p className="mt-3 text-stone-600">
            You will stop getting reminders about your cart, products you looked at and your skin quiz.
          </p>
          <UnsubscribeForm token={token} />
        </>
      ) : (
        <>
          <h1 className="text-3xl font-semibold tracking-tight">This unsubscribe link is not valid</h1>
          <p className="mt-3 text-stone-600">
            It may have been copied incompletely. Try the link from the email again.
          </p>
          <Link href="/" className="btn-primary mt-8">
            Go to the shop
          </Link>
        </>
      )}
    </div>
  );
}
