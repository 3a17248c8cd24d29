import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getProductByHandle } from '@/lib/shop/domain/catalog';

// The handle is checked here, outside loading.tsx's Suspense boundary: a page's notFound() comes after the
// skeleton has streamed with a 200, a layout's before anything is sent, so an unknown product is a real 404.
export default async function ProductLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ handle: string }>;
}) {
  if (!getProductByHandle((await params).handle)) notFound();
  return children;
}
