import { type Page } from '@playwright/test';
import { expect, test } from './support/test';
import {
  findVariantBySku,
  getCollectionByHandle,
  getProductByHandle,
  getQuiz,
  listProducts,
  productsInCollection,
  startingPriceCents,
} from '@/lib/shop/domain/catalog';
import { MAX_CART_LINES } from '@/lib/shop/domain/cart-lines';
import { formatMoney } from '@/lib/shop/domain/pricing';
import { seedCart, skipEmailPopup, uniqueEmail } from './support/shop';

test.beforeEach(async ({ page }) => skipEmailPopup(page));

/** Fails the test on any uncaught error or console error (a hydration mismatch shows up as one). */
function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return () => expect(errors, 'errors in the browser').toEqual([]);
}

const cartItems = (page: Page) => page.getByRole('list', { name: 'Cart items' }).getByRole('listitem');

test('a link to a size adds that size, even when Add to cart is pressed while the page loads', async ({ page }) => {
  const large = findVariantBySku('GL-CLN-GEL-300')!;
  // Hold the page's scripts back: meanwhile the shopper sees (and can press) the prerendered HTML.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_next/static/chunks/**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/products/${large.product.handle}?variant=${large.variant.id}`, { waitUntil: 'commit' });
  const add = page.getByRole('button', { name: 'Add to cart' });
  await expect(add).toBeDisabled();
  release();
  await add.click(); // waits until it is enabled: the URL's size was read
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.goto('/cart');
  await expect(cartItems(page)).toHaveCount(1);
  await expect(cartItems(page)).toContainText(large.variant.name);
});

test('browse home → collection → product, add two sizes, and the cart survives a reload', async ({ page }) => {
  const noErrors = watchErrors(page);
  const small = findVariantBySku('GL-CLN-GEL-150')!.variant;
  const large = findVariantBySku('GL-CLN-GEL-300')!.variant;

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Bestsellers' }).getByRole('listitem')).not.toHaveCount(0);

  await page.getByRole('main').getByRole('link', { name: 'Cleansers', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cleansers' })).toBeVisible();

  await page.getByRole('link', { name: 'Gentle Gel Cleanser' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gentle Gel Cleanser' })).toBeVisible();

  // First size, two of them.
  await expect(page.getByRole('radio', { name: new RegExp(small.name) })).toBeChecked();
  await page.getByRole('button', { name: 'Increase quantity' }).click();
  await expect(page.getByLabel('Quantity', { exact: true })).toHaveValue('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 2' })).toBeVisible();

  // Second size: the URL follows the choice, and the price changes with it.
  await page.getByRole('radio', { name: new RegExp(large.name) }).check();
  await expect(page).toHaveURL(new RegExp(`[?&]variant=${large.id}`));
  await expect(page.getByText(formatMoney(large.priceCents), { exact: true })).toBeVisible();
  await page.getByLabel('Quantity', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 3 items' })).toBeVisible();

  await page.getByRole('link', { name: 'Cart, 3 items' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your cart' })).toBeVisible();
  const subtotal = formatMoney(small.priceCents * 2 + large.priceCents);

  const expectCart = async () => {
    await expect(cartItems(page)).toHaveCount(2);
    await expect(cartItems(page).filter({ hasText: small.name })).toContainText(formatMoney(small.priceCents * 2));
    await expect(cartItems(page).filter({ hasText: large.name })).toContainText(formatMoney(large.priceCents));
    await expect(page.getByTestId('cart-subtotal')).toHaveText(subtotal);
  };
  await expectCart();
  await page.reload();
  await expectCart();

  // Lowering, raising and removing update the subtotal from the catalogue.
  await page.getByRole('button', { name: `Decrease quantity of Gentle Gel Cleanser, ${small.name}` }).click();
  await expect(page.getByTestId('cart-subtotal')).toHaveText(formatMoney(small.priceCents + large.priceCents));
  await page.getByRole('button', { name: `Remove Gentle Gel Cleanser, ${large.name}` }).click();
  await expect(cartItems(page)).toHaveCount(1);
  await expect(page.getByTestId('cart-subtotal')).toHaveText(formatMoney(small.priceCents));
  await expect(page.getByRole('link', { name: 'Checkout' })).toHaveAttribute('href', '/checkout');
  await page.getByRole('button', { name: `Remove Gentle Gel Cleanser, ${small.name}` }).click();
  await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();
  noErrors();
});

test('a quantity over 99 is said to be too many, not silently made 99', async ({ page }) => {
  await page.goto('/products/gentle-gel-cleanser');
  const quantity = page.getByLabel('Quantity', { exact: true });
  await quantity.fill('150');
  await expect(quantity).toHaveValue('99');
  const note = page.getByRole('status').filter({ hasText: 'At most 99 of one item per order' });
  await expect(note).toHaveText('At most 99 of one item per order: the quantity is set to 99.');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 99' })).toBeVisible();

  // The cart's stepper says the same.
  await page.getByRole('link', { name: 'Cart, 99 items' }).click();
  const line = page.getByRole('spinbutton', { name: 'Quantity of Gentle Gel Cleanser, 150 ml' });
  await line.fill('120');
  await expect(line).toHaveValue('99');
  await expect(page.getByRole('status').filter({ hasText: 'At most 99 of one item per order' })).toBeVisible();
});

test('a quantity of 0, below 0 or none is said to be no quantity, not silently undone', async ({ page }) => {
  await page.goto('/products/gentle-gel-cleanser');
  const quantity = page.getByLabel('Quantity', { exact: true });
  await quantity.fill('3');
  const note = page.getByRole('status').filter({ hasText: 'Enter a whole number' });
  for (const typed of ['0', '-2', '']) {
    await quantity.fill(typed);
    await quantity.blur();
    await expect(quantity).toHaveValue('3');
    await expect(note).toHaveText('Enter a whole number from 1 to 99: the quantity stays 3.');
    await quantity.fill('4'); // a quantity again: the note goes
    await expect(note).toHaveCount(0);
    await quantity.fill('3');
  }
});

test('adds a bundle to the cart', async ({ page }) => {
  const noErrors = watchErrors(page);
  const bundle = findVariantBySku('GL-BUN-BARRIER')!;
  await page.goto(`/products/${bundle.product.handle}`);
  await expect(page.getByRole('heading', { name: "What's inside" })).toBeVisible();
  for (const sku of bundle.product.bundleOf!) {
    await expect(page.getByRole('link', { name: new RegExp(findVariantBySku(sku)!.product.name) })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart, 1 item' }).click();
  await expect(cartItems(page)).toHaveCount(1);
  await expect(cartItems(page)).toContainText(bundle.product.name);
  await expect(page.getByTestId('cart-subtotal')).toHaveText(formatMoney(bundle.variant.priceCents));
  noErrors();
});

test('a cart holds at most 20 different items, so it can always be checked out', async ({ page }) => {
  const noErrors = watchErrors(page);
  const sizes = listProducts().flatMap((p) => p.variants.map((v) => ({ product: p, variant: v })));
  // A product of one size, so its page's Add to cart adds exactly that SKU; the cart is full of the others.
  const next = sizes.find((s) => s.product.variants.length === 1)!;
  const full = sizes.filter((s) => s !== next).slice(0, MAX_CART_LINES);
  await seedCart(
    page,
    full.map((s) => ({ sku: s.variant.sku, quantity: 1 })),
  );

  await page.goto(`/products/${next.product.handle}`);
  await expect(page.getByRole('link', { name: `Cart, ${MAX_CART_LINES} items` })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not added' })).toHaveText(
    'Not added: your cart already holds 20 different items, the most per order. Remove one to make room. View cart',
  );
  await expect(page.getByRole('link', { name: `Cart, ${MAX_CART_LINES} items` })).toBeVisible();

  // The cart as it is checks out: the summary shows a total and Place order can be pressed.
  await page.goto('/checkout');
  await expect(page.getByRole('region', { name: 'Order summary' }).getByTestId('order-total')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeEnabled();
  noErrors();
});

test('a collection sorts by price and name through the URL', async ({ page }) => {
  const serums = productsInCollection(getCollectionByHandle('serums')!);
  const names = (sorted: typeof serums) => sorted.map((p) => p.name);
  const grid = page.getByRole('list', { name: 'Serums products' }).getByRole('heading', { level: 3 });

  await page.goto('/collections/serums');
  await expect(grid).toHaveText(names(serums));

  await page.getByLabel('Sort by').selectOption({ label: 'Price: low to high' });
  await expect(page).toHaveURL(/\?sort=price-asc$/);
  await expect(grid).toHaveText(names([...serums].sort((a, b) => startingPriceCents(a) - startingPriceCents(b))));

  await page.getByLabel('Sort by').selectOption({ label: 'Price: high to low' });
  await expect(page).toHaveURL(/\?sort=price-desc$/);
  await expect(grid).toHaveText(names([...serums].sort((a, b) => startingPriceCents(b) - startingPriceCents(a))));

  await page.goto('/collections/serums?sort=name');
  await expect(page.getByLabel('Sort by')).toHaveValue('name');
  await expect(grid).toHaveText(names([...serums].sort((a, b) => a.name.localeCompare(b.name))));
});

test('the skin quiz steps back and forth, recommends a routine and adds it to the cart', async ({ page }) => {
  const noErrors = watchErrors(page);
  const quiz = getQuiz();
  const oily = ['Shiny all over', 'Oil and visible pores', 'I sometimes break out', 'Fewer breakouts and less shine'];
  const progress = page.getByRole('progressbar');

  await page.goto('/quiz');
  await page.getByRole('button', { name: 'Start the quiz' }).click();

  const first = page.getByRole('heading', { name: quiz.questions[0]!.prompt });
  await expect(first).toBeFocused();
  await expect(progress).toHaveAttribute('aria-valuenow', '1');

  // Next without an answer asks for one.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose an answer to continue.' })).toBeVisible();

  await page.getByRole('radiogroup', { name: quiz.questions[0]!.prompt }).getByRole('radio', { name: oily[0] }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: quiz.questions[1]!.prompt })).toBeFocused();
  await expect(progress).toHaveAttribute('aria-valuenow', '2');
  await page.getByRole('radio', { name: oily[1] }).check();

  // Back keeps earlier answers.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(first).toBeFocused();
  await expect(page.getByRole('radio', { name: oily[0] })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: oily[1] })).toBeChecked();

  for (const [i, label] of oily.entries()) {
    if (i < 2) continue;
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(progress).toHaveAttribute('aria-valuenow', String(i + 1));
    await page.getByRole('radio', { name: label }).check();
  }
  await page.getByRole('button', { name: 'See my routine' }).click();

  await expect(page.getByRole('heading', { name: `Your skin type: ${quiz.results.oily.title}` })).toBeFocused();
  const recommended = quiz.results.oily.recommendedSkus.map((sku) => findVariantBySku(sku)!);
  const list = page.getByRole('list', { name: 'Recommended products' });
  await expect(list.getByRole('heading', { level: 4 })).toHaveText(recommended.map((r) => r.product.name));

  // The optional "Send me my routine" form explains a bad address, then accepts a good one.
  const emailForm = page.getByRole('form', { name: 'Send me my routine' });
  await emailForm.getByLabel('Email').fill('not-an-email');
  await emailForm.getByRole('button', { name: 'Send my routine' }).click();
  await expect(emailForm.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await emailForm.getByLabel('Email').fill(uniqueEmail('quiz'));
  await emailForm.getByRole('button', { name: 'Send my routine' }).click();
  // It says what happens: the routine email of this result, sent by the next journey pass.
  await expect(page.getByRole('status').filter({ hasText: 'Sent!' })).toHaveText(
    `Sent! Check your inbox in a few minutes for your ${quiz.results.oily.title} routine.`,
  );

  const pick = recommended[1]!;
  await list.getByRole('button', { name: `Add ${pick.product.name}, ${pick.variant.name} to cart` }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.getByRole('link', { name: 'Cart, 1 item' }).click();
  await expect(cartItems(page)).toHaveCount(1);
  await expect(cartItems(page)).toContainText(pick.product.name);
  await expect(page.getByTestId('cart-subtotal')).toHaveText(formatMoney(pick.variant.priceCents));
  noErrors();
});

// React puts a preload in the head for every eager <img>: cards below the fold that were eager competed with the
// page's main picture (its LCP) for the first connections. That picture's hint asks for high priority.
const imagePreloads = (html: string) =>
  [...html.matchAll(/<link\b[^>]*\bas="image"[^>]*>/g)].map((m) => ({
    href: /href="([^"]+)"/.exec(m[0])?.[1],
    fetchPriority: /fetchpriority="([^"]+)"/i.exec(m[0])?.[1],
  }));

test('every product page hints only its own picture to the browser, not the related products below', async ({
  request,
}) => {
  for (const product of listProducts()) {
    const html = await (await request.get(`/products/${product.handle}`)).text();
    expect([product.handle, imagePreloads(html)]).toEqual([
      product.handle,
      [{ href: product.image, fetchPriority: 'high' }],
    ]);
  }
});

test('the home page hints only its hero picture, not the bestsellers far below it', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const hero = getProductByHandle('barrier-repair-ritual')!.image;
  expect(imagePreloads(html)).toEqual([{ href: hero, fetchPriority: 'high' }]);
});
