import type { ReactNode } from 'react';

/** The product grid's list: ProductGrid's, and the collection page's, which orders cards the server rendered. */
export function ProductList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ul aria-label={label} className="grid grid-cols-2 gap-x-4 gap-y-10 sm:gap-x-5 md:grid-cols-3 lg:grid-cols-4">
      {children}
    </ul>
  );
}
