import { DiscoverLinks } from '@/components/layout/discover-links';
import { NotAPage } from '@/components/layout/not-a-page';

/** What a shopper sees for a URL with no page: the chrome around it comes from whoever renders it. */
export function NotFoundBody() {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-center px-4 py-24 text-center">
      <NotAPage />
      <p className="text-sm font-semibold tracking-widest text-brand uppercase">404</p>
      <h1 className="mt-3 text-3xl font-semibold tracking-tight">We couldn&apos;t find that page</h1>
      <p className="mt-3 text-stone-600">
        The product or page may have moved. Try a collection, or let the quiz pick for you.
      </p>
      <DiscoverLinks className="mt-8" />
    </div>
  );
}
