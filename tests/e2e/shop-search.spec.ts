import { expect, test } from './support/test';
import { getCollectionByHandle, productsInCollection, startingPriceCents } from '@/lib/shop/domain/catalog';
import { sizesInBand } from '@/lib/shop/domain/filters';
import { skipEmailPopup } from './support/shop';
import { anonymousEvents, anonymousIdCookie, named, trackSent } from './support/tracking';

// Search over the catalogue (from the header, rendered on the server, tracked) and collection filters in the URL.

test.beforeEach(async ({ page }) => skipEmailPopup(page));

const results = (page: import('@playwright/test').Page) =>
  page.getByRole('list', { name: 'Search results' }).getByRole('heading', { level: 3 });

test('searching from the header finds products by name, ingredient and skin type, and is tracked', async ({ page }) => {
  await page.goto('/');
  const field = page
    .getByRole('search', { name: 'Search the shop' })
    .getByRole('searchbox', { name: 'Search products' });

  // An ingredient: the serum that has it in its name first, then the moisturiser and the bundle that contain it.
  let searched = trackSent(page, 'Products Searched');
  await field.fill('  niacinamide ');
  await field.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=\+*niacinamide\+*$/);
  await expect(page.getByRole('heading', { level: 2, name: '3 products match “niacinamide”' })).toBeVisible();
  await expect(results(page)).toHaveText(['Niacinamide 10% Serum', 'Oil-Free Gel Moisturiser', 'Clear Skin Routine']);
  expect((await searched).postDataJSON().properties).toMatchObject({ query: 'niacinamide', result_count: 3 });

  // A skin type and a category together: every word must match.
  searched = trackSent(page, 'Products Searched');
  await page.goto('/search?q=sensitive+serum');
  await expect(results(page)).toHaveText(['Ceramide Barrier Serum', 'Centella Calming Serum']);
  expect((await searched).postDataJSON().properties).toMatchObject({ query: 'sensitive serum', result_count: 2 });

  // Nothing found: says so, offers ways on, and the 0 is tracked.
  searched = trackSent(page, 'Products Searched');
  await page.goto('/search?q=glitter');
  await expect(page.getByRole('heading', { level: 2, name: 'No products match “glitter”' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shop collections' })).toBeVisible();
  expect((await searched).postDataJSON().properties).toMatchObject({ query: 'glitter', result_count: 0 });

  // Back shows the earlier search's words in the field, not the last ones.
  await page.goBack();
  await expect(page.getByRole('main').getByRole('searchbox')).toHaveValue('sensitive serum');
});

test('a query with control characters or cut mid-emoji is still stored: search and page call', async ({ page }) => {
  // The pipeline refuses a call holding NUL or a lone surrogate; the query is tracked and is in the page title.
  const long = `${'a'.repeat(99)}😀`;
  for (const [q, query] of [
    ['%00ser%01um', 'ser um'],
    [encodeURIComponent(long), 'a'.repeat(99)],
  ]) {
    const searched = trackSent(page, 'Products Searched');
    await page.goto(`/search?q=${q}`);
    expect((await searched).postDataJSON().properties).toMatchObject({ query });
  }
  const anonymousId = (await anonymousIdCookie(page.context()))!;
  await expect
    .poll(async () => named((await anonymousEvents(page.request, anonymousId)).events, 'Products Searched').length)
    .toBe(2);
  // The page call and the track go in separate requests, so the page may be stored just after the track.
  await expect
    .poll(async () => (await anonymousEvents(page.request, anonymousId)).events.filter((e) => e.type === 'page'))
    .toHaveLength(2);
});

test('the empty search page prompts with searches to try', async ({ page }) => {
  await page.goto('/search');
  await expect(page.getByRole('heading', { name: 'Search by name, step, skin type or ingredient' })).toBeVisible();
  await page.getByRole('link', { name: 'ceramides', exact: true }).click();
  await expect(page).toHaveURL(/\/search\?q=ceramides$/);
  await expect(results(page)).toContainText(['Ceramide Barrier Serum', 'Barrier Repair Cream']);
});

test('search results are in the HTML the server sends', async ({ request }) => {
  const html = await (await request.get('/search?q=vitamin+c')).text();
  expect(html).toContain('Vitamin C Brightening Serum');
  expect(html).toContain('Morning Glow Duo');
});

test('collection filters live in the URL: shareable, and Back undoes them', async ({ page }) => {
  const serums = productsInCollection(getCollectionByHandle('serums')!);
  const grid = page.getByRole('list', { name: 'Serums products' }).getByRole('heading', { level: 3 });
  const filters = page.getByRole('form', { name: 'Filter and sort' });
  const count = page.getByTestId('product-count');

  await page.goto('/collections/serums');
  await expect(count).toHaveText(`${serums.length} products`);

  // One click, even if it lands while React is still hydrating the prerendered form: the choice is kept.
  await filters.getByRole('checkbox', { name: 'Sensitive' }).check();
  await expect(page).toHaveURL(/\/collections\/serums\?skin=sensitive$/);
  const sensitive = serums.filter((p) => p.skinTypes.includes('sensitive'));
  await expect(grid).toHaveText(sensitive.map((p) => p.name));
  await expect(count).toHaveText(`${sensitive.length} of ${serums.length} products`);

  await filters.getByLabel('Price').selectOption({ label: 'Under $20.00' });
  await expect(page).toHaveURL(/\?skin=sensitive&price=under-20$/);
  await expect(page.getByText('No serums match these filters.')).toBeVisible();

  // Back returns to the view before, controls included.
  await page.goBack();
  await expect(page).toHaveURL(/\?skin=sensitive$/);
  await expect(grid).toHaveText(sensitive.map((p) => p.name));
  await expect(filters.getByLabel('Price')).toHaveValue('');

  // A shared link opens the same view; Clear filters keeps the sort.
  await page.goto('/collections/serums?skin=oily&skin=dry&price=20-40&sort=price-asc');
  await expect(filters.getByRole('checkbox', { name: 'Oily' })).toBeChecked();
  await expect(filters.getByRole('checkbox', { name: 'Dry' })).toBeChecked();
  await expect(filters.getByLabel('Sort by')).toHaveValue('price-asc');
  // Sorted by the price of their sizes in the band (Niacinamide's $24, not its $14).
  const inBand = (p: (typeof serums)[number]) => ({ variants: sizesInBand(p.variants, '20-40') });
  const expected = serums
    .filter((p) => p.skinTypes.some((t) => t === 'oily' || t === 'dry'))
    .filter((p) => inBand(p).variants.length > 0)
    .sort((a, b) => startingPriceCents(inBand(a)) - startingPriceCents(inBand(b)));
  await expect(grid).toHaveText(expected.map((p) => p.name));
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/collections\/serums\?sort=price-asc$/);
  await expect(count).toHaveText(`${serums.length} products`);
});

// "Over $40.00" listing "Hyaluronic Hydration Serum From $26.00", which opened its $26 size, contradicted the filter.
test('under a price filter a card shows, and opens, the sizes in the band', async ({ page }) => {
  const grid = page.getByRole('list', { name: 'Serums products' });
  const card = (name: string) => grid.getByRole('listitem').filter({ hasText: name });
  await page.goto('/collections/serums?price=over-40');
  await expect(card('Hyaluronic Hydration Serum')).toContainText('$44.00');
  await expect(card('Hyaluronic Hydration Serum')).not.toContainText('$26.00');
  await page.goto('/collections/serums?price=20-40');
  await expect(card('Niacinamide')).toContainText('$24.00');
  await expect(card('Niacinamide')).not.toContainText('From');
  await page.goto('/collections/serums');
  await expect(card('Niacinamide')).toContainText('From $14.00');

  await page.goto('/collections/serums?price=over-40');
  await card('Hyaluronic Hydration Serum').getByRole('link').click();
  await expect(page).toHaveURL(/\/products\/hyaluronic-serum\?variant=var_hyaluronic_serum_60$/);
  await expect(page.getByRole('radio', { name: /60 ml/ })).toBeChecked();
});
