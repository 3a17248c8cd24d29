import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getCollectionByHandle } from '@/lib/shop/domain/catalog';

// Checked outside loading.tsx's Suspense boundary, so an unknown collection is a real 404 (see the product layout).
export default async function CollectionLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ handle: string }>;
}) {
  if (!getCollectionByHandle((await params).handle)) notFound();
  return children;
}
