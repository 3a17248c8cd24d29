import { describe, expect, it } from 'vitest';
import { campaignOf, pageContext, pageNameFor } from '@/lib/tracking/page-view';

describe('page names', () => {
  it('names a page after its first path segment unless told otherwise', () => {
    expect(pageNameFor('/')).toBe('Home');
    expect(pageNameFor('/products/vitamin-c-serum')).toBe('Products');
    expect(pageNameFor('/skin-quiz')).toBe('Skin Quiz');
    expect(pageNameFor('/products/x', { products: 'Product' })).toBe('Product');
  });
});

describe('page context', () => {
  it('is the address as analytics.js records it: path, query and url without the fragment, referrer likewise', () => {
    expect(
      pageContext(
        'https://shop.example/search?q=spf#results',
        'https://shop.example/products/x?variant=v#top',
        'Search',
      ),
    ).toEqual({
      path: '/search',
      search: '?q=spf',
      url: 'https://shop.example/search?q=spf',
      referrer: 'https://shop.example/products/x?variant=v',
      title: 'Search',
    });
    expect(pageContext('https://shop.example/', '', '')).toEqual({
      path: '/',
      search: '',
      url: 'https://shop.example/',
      referrer: '',
      title: '',
    });
  });
});

describe('campaign', () => {
  it('is read from the page the call was made on as analytics.js reads it: utm_ fields, utm_campaign as name', () => {
    expect(campaignOf('?utm_source=news&utm_campaign=spring%20sale&utm_medium=email&variant=v')).toEqual({
      source: 'news',
      name: 'spring sale',
      medium: 'email',
    });
    expect(campaignOf('?q=spf')).toEqual({});
    expect(campaignOf('')).toBeUndefined();
    expect(campaignOf('?utm_content=%E0%A4%A')).toEqual({ content: '%E0%A4%A' });
  });
});
