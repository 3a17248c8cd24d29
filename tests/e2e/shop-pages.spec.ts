import { type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { recordIngest } from './support/tracking';
import { skipEmailPopup } from './support/shop';

// Pages a shop must get right: real 404s with one chrome, a phone layout that neither scrolls sideways nor
// stacks text on text, and a compact header whose menu works from the keyboard.

const PHONE = { width: 390, height: 844 };

test.describe('a link to something that does not exist', () => {
  for (const path of [
    '/products/no-such-product',
    '/collections/no-such-collection',
    '/orders/ord_no-such-order?sig=abc',
    '/no-such-page',
    // Percent escapes that do not decode (a 500 under `npm start`: tests/unit/scripts/serve-path-repair.test.ts).
    '/products/%ZZ',
    '/orders/%E0%A4%A?sig=abc',
  ]) {
    test(`${path}: a 404 with one header, footer and consent banner, no popup and no page call`, async ({ page }) => {
      // The popup would open at once anywhere it may open.
      await page.addInitScript(() => localStorage.setItem('glowlab-popup-delay-ms', '0'));
      const ingest = recordIngest(page);

      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1, name: "We couldn't find that page" })).toBeVisible();
      await expect(page.getByRole('banner')).toHaveCount(1);
      await expect(page.getByRole('contentinfo')).toHaveCount(1);
      await expect(page.getByRole('main')).toHaveCount(1);
      await expect(page.getByRole('region', { name: 'Privacy choices' })).toHaveCount(1);
      // Hydrated (the cart count is client-only), and a 0 ms timer set after the popup's has fired.
      await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).toBeVisible();
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      await expect(page.getByRole('dialog')).toHaveCount(0);

      // Leave for a real page and wait for its page call: one for the 404 would have been sent before it.
      const quizPage = page.waitForRequest((r) => r.url().endsWith('/api/cdp/v1/p') && r.postData()!.includes('/quiz'));
      await page.getByRole('main').getByRole('link', { name: 'Take the skin quiz' }).click();
      await quizPage;
      const pagePaths = ingest.calls.filter((c) => c.path.endsWith('/p')).map((c) => c.body.properties);
      expect(pagePaths).toEqual([expect.objectContaining({ path: '/quiz' })]);
      await expect(page.getByRole('dialog')).toHaveCount(1); // the quiz may show it: the trigger works
    });
  }
});

test('an API address whose percent escapes do not decode is answered by its route, never a 500', async ({
  request,
}) => {
  for (const path of ['/api/ops/people/%ZZ', '/api/ops/anonymous/%E0%A4%A', '/api/no-such%']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(path.startsWith('/api/ops/') ? 401 : 404);
    expect(response.headers()['content-type'], path).toContain('application/json');
  }
});

/** Text boxes (one per line) of every name, price and category in the product grids. */
async function cardTextBoxes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main article :is(h2, h3, p)')].flatMap((el, element) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return [...range.getClientRects()]
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => ({ element, text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
    }),
  );
}

test.describe('on a phone', () => {
  test.use({ viewport: PHONE });

  // That no page scrolls sideways on a phone, with an empty cart and a full one, is checked with each page's
  // accessibility scan at the phone size (accessibility.spec.ts): the same pages at the same size, loaded once.

  test('product cards never put one text on another', async ({ page }) => {
    await skipEmailPopup(page);
    for (const path of ['/', '/collections/serums', '/collections/bundles', '/search?q=skin']) {
      await page.goto(path);
      const boxes = await cardTextBoxes(page);
      expect(boxes.length, `${path} has product cards`).toBeGreaterThan(6);
      const overlaps = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter(
            (b) =>
              a.element !== b.element &&
              a.left < b.right - 1 &&
              b.left < a.right - 1 &&
              a.top < b.bottom - 1 &&
              b.top < a.bottom - 1,
          )
          .map((b) => `${a.text} × ${b.text}`),
      );
      expect(overlaps, `${path}: overlapping card texts`).toEqual([]);
    }
  });

  test('the consent banner shows both its buttons in full on the first visit', async ({ page }) => {
    await skipEmailPopup(page);
    await page.goto('/');
    const banner = page.getByRole('region', { name: 'Privacy choices' });
    for (const name of ['Decline', 'Accept']) {
      const button = banner.getByRole('button', { name });
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      // Nothing drawn over it: the topmost element at its centre is the button itself.
      const onTop = await button.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      });
      expect(onTop, `${name} is not covered`).toBe(true);
    }
  });

  test('the header is one compact row with a menu that works from the keyboard', async ({ page }) => {
    await skipEmailPopup(page);
    await page.goto('/collections/serums');
    const header = page.getByRole('banner');
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(72);

    const menu = header.getByRole('button', { name: 'Menu' });
    const panel = page.locator(`#${await menu.getAttribute('aria-controls')}`);
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(panel).toBeHidden();
    await expect(header.getByRole('link', { name: 'Skin quiz' })).toBeHidden();

    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(panel.getByRole('link', { name: 'Skin quiz' })).toBeVisible();
    // The panel follows the button in the tab order.
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('searchbox', { name: 'Search products' })).toBeFocused();

    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(panel).toBeHidden();
    await expect(menu).toBeFocused();

    // Space opens it too; following a link closes it on the new page.
    await page.keyboard.press('Space');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await panel.getByRole('link', { name: 'Skin quiz' }).click();
    await expect(page).toHaveURL(/\/quiz$/);
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(panel).toBeHidden();

    // A click outside (below the panel) closes it.
    await menu.click();
    await expect(panel).toBeVisible();
    const bottom = (await panel.boundingBox())!;
    await page.mouse.click(PHONE.width / 2, bottom.y + bottom.height + 20);
    await expect(panel).toBeHidden();
  });
});

test('on a desktop the navigation and search sit in the header, with no menu button', async ({ page }) => {
  await skipEmailPopup(page);
  await page.goto('/');
  const header = page.getByRole('banner');
  await expect(header.getByRole('button', { name: 'Menu' })).toBeHidden();
  await expect(header.getByRole('link', { name: 'Skin quiz' })).toBeVisible();
  await expect(header.getByRole('search', { name: 'Search the shop' }).getByRole('searchbox')).toBeVisible();
});

test('the consent banner comes right after the header in the tab order, before the page', async ({ page }) => {
  await skipEmailPopup(page);
  await page.goto('/');
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).toBeVisible();
  // The banner's code loads once the tracking settings say it is needed (after hydration).
  await expect(page.locator('[aria-label="Privacy choices"]')).toBeVisible();
  const order = await page.evaluate(() => {
    const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea')].filter(
      (el) => el.offsetParent !== null || getComputedStyle(el).position === 'fixed',
    );
    const index = (el: Element | null) => focusable.findIndex((f) => el?.contains(f));
    return {
      consent: index(document.querySelector('[aria-label="Privacy choices"]')),
      main: index(document.querySelector('main')),
      footer: index(document.querySelector('footer')),
    };
  });
  expect(order.consent).toBeGreaterThanOrEqual(0);
  expect(order.consent).toBeLessThan(order.main);
  expect(order.main).toBeLessThan(order.footer);
});
