import { Suspense, type ReactNode } from 'react';

/**
 * Content far below the fold, in a Suspense boundary of its own (vercel/commerce does this for related products).
 * React 19.2 outlines a finished boundary once the page's HTML before it comes to more than 12,800 bytes: the
 * route's loading.tsx skeleton is painted and the page swapped in a frame or more later. Splitting what is below
 * the fold off keeps the main content under that limit, so only this part can be outlined, and its placeholder keeps
 * its space so nothing shifts when it arrives. scripts/size-budget.mjs allows an outlined boundary only here.
 */
export function BelowFold({ children, className }: { children: ReactNode; className?: string }) {
  return <Suspense fallback={<div data-below-fold aria-hidden="true" className={className} />}>{children}</Suspense>;
}
