import { describe, expect, it } from 'vitest';
import { pageNameFor } from '@/lib/tracking/react';

describe('page names', () => {
  it('names a page after its first path segment unless told otherwise', () => {
    expect(pageNameFor('/')).toBe('Home');
    expect(pageNameFor('/products/vitamin-c-serum')).toBe('Products');
    expect(pageNameFor('/skin-quiz')).toBe('Skin Quiz');
    expect(pageNameFor('/products/x', { products: 'Product' })).toBe('Product');
  });
});
