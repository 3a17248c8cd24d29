'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { SORT_OPTIONS, type SortKey } from '@/lib/shop/domain/sort';

/** Sort control for a collection: writes `?sort=` so the order is shareable and survives reloads. */
export function CollectionSort({ value }: { value: SortKey }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor="collection-sort" className="text-stone-600">
        Sort by
      </label>
      <select
        id="collection-sort"
        value={value}
        aria-busy={pending}
        onChange={(e) => {
          const sort = e.target.value;
          startTransition(() =>
            router.replace(sort === 'featured' ? pathname : `${pathname}?sort=${sort}`, { scroll: false }),
          );
        }}
        className="rounded-full border border-stone-300 bg-white px-3 py-2 pr-8"
      >
        {SORT_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
