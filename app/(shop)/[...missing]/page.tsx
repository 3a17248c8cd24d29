import { notFound } from 'next/navigation';

// A URL no other route matches lands here, inside the (shop) layout, so its 404 (app/(shop)/not-found.tsx) has the
// shop's chrome. There is no root app/not-found.tsx to bring that chrome instead: the root layout's not-found is
// part of every page's payload, and with the chrome in it, it was ~15 KB of each storefront page's HTML.
export default function MissingPage(): never {
  notFound();
}
