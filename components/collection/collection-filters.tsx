'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useOptimistic, useRef, useTransition, type ChangeEvent, type FormEvent } from 'react';
import { skinTypes } from '@/lib/shop/domain/catalog/skin-types';
import {
  collectionViewQuery,
  parseCollectionView,
  PRICE_RANGES,
  SKIN_TYPE_LABELS,
  type CollectionView,
  type PriceRangeLabels,
} from '@/lib/shop/domain/filters';
import { SORT_OPTIONS } from '@/lib/shop/domain/sort';

const chip =
  'relative cursor-pointer rounded-full border border-stone-300 bg-white px-3 py-1.5 text-sm has-[:checked]:border-stone-900 has-[:checked]:bg-stone-900 has-[:checked]:text-white has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand';
const select = 'rounded-full border border-stone-300 bg-white px-3 py-2 pr-8 text-sm';

/**
 * Skin type, price and sort of a collection. Every change is a new URL (pushed: Back returns to the previous
 * view, and a link shares it); CollectionResults filters and renders the products. The controls show the chosen
 * view at once (optimistic) while the new page renders. Without JavaScript it is a plain GET form. A choice made
 * while the prerendered page is still hydrating is kept: hydration leaves the DOM's checked boxes alone but fires no
 * change event for them, so on mount the form is compared with the view it was rendered with and applied if it
 * differs.
 * `priceLabels` ("Under $20.00") are formatted by the server page: formatting them here would build the browser's
 * first currency formatter while the page hydrates, tens of milliseconds of one long task (lib/shop/domain/money.ts).
 */
export function CollectionFilters({ view, priceLabels }: { view: CollectionView; priceLabels: PriceRangeLabels }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [shown, showView] = useOptimistic(view);
  const formRef = useRef<HTMLFormElement>(null);

  function apply(form: HTMLFormElement) {
    const next = parseCollectionView(formValues(new FormData(form)));
    startTransition(() => {
      showView(next);
      router.push(`${pathname}${collectionViewQuery(next)}`, { scroll: false });
    });
  }

  const change = (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => apply(e.currentTarget.form!);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    apply(e.currentTarget);
  }

  useEffect(() => {
    const form = formRef.current!;
    const chosen = parseCollectionView(formValues(new FormData(form)));
    if (collectionViewQuery(chosen) !== collectionViewQuery(view)) apply(form);
    // Once, at hydration: later changes arrive as change events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <form
      ref={formRef}
      action={pathname}
      method="get"
      onSubmit={onSubmit}
      aria-label="Filter and sort"
      aria-busy={pending}
      className="flex flex-wrap items-end gap-x-6 gap-y-4"
    >
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-stone-700">Skin type</legend>
        <div className="flex flex-wrap gap-2">
          {skinTypes.map((type) => (
            <label key={type} className={chip}>
              <input
                type="checkbox"
                name="skin"
                value={type}
                checked={shown.skin.includes(type)}
                onChange={change}
                className="absolute inset-0 cursor-pointer appearance-none rounded-full opacity-0"
              />
              {SKIN_TYPE_LABELS[type]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-col gap-2">
        <label htmlFor="collection-price" className="text-sm font-medium text-stone-700">
          Price
        </label>
        <select id="collection-price" name="price" value={shown.price ?? ''} onChange={change} className={select}>
          <option value="">Any price</option>
          {PRICE_RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {priceLabels[r.value]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-2">
        <label htmlFor="collection-sort" className="text-sm font-medium text-stone-700">
          Sort by
        </label>
        <select id="collection-sort" name="sort" value={shown.sort} onChange={change} className={select}>
          {SORT_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {/* Changes apply at once with JavaScript; this is for a keyboard Enter and for pages without it. */}
      <button type="submit" className="btn-secondary sr-only px-4 py-2 focus:not-sr-only">
        Apply
      </button>
    </form>
  );
}

/** FormData → the shape parseCollectionView reads (repeated `skin` as a list). */
function formValues(form: FormData): Record<string, unknown> {
  return { skin: form.getAll('skin'), price: form.get('price'), sort: form.get('sort') };
}
