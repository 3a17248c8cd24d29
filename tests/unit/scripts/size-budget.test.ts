import { describe, expect, it } from 'vitest';
import { hasOutlinedSkeleton } from '../../../scripts/size-budget.mjs';

// The markup React 19.2 writes for a finished boundary it outlined: a pending marker, its template, then the
// fallback that paints until the content further down the file is swapped in.
const outlined = (fallback: string) => `<main><!--$?--><template id="B:0"></template>${fallback}<!--/$--></main>`;

describe('size budget: prerendered pages that paint a skeleton first', () => {
  it("flags a route's loading skeleton painted in place of the page", () => {
    expect(hasOutlinedSkeleton(outlined('<div role="status" class="animate-pulse">…</div>'))).toBe(true);
    expect(hasOutlinedSkeleton(outlined(''))).toBe(true);
  });

  it('allows only a BelowFold placeholder to be outlined, and a page with nothing pending', () => {
    expect(hasOutlinedSkeleton(outlined('<div data-below-fold="true" aria-hidden="true" class="mt-20"></div>'))).toBe(
      false,
    );
    expect(hasOutlinedSkeleton('<main><!--$--><div>page</div><!--/$--></main>')).toBe(false);
  });
});
