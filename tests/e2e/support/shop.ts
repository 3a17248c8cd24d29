import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { findVariantBySku, getQuiz, type Quiz } from '@/lib/shop/domain/catalog';

/** Every storefront page a shopper reaches (a filtered collection, searches with and without results, a 404...). */
export const STOREFRONT_PATHS = [
  '/',
  '/collections',
  '/collections/serums',
  '/collections/serums?skin=sensitive&price=under-20',
  '/products/niacinamide-serum',
  '/products/barrier-repair-ritual',
  '/search',
  '/search?q=niacinamide',
  '/search?q=glitter',
  '/quiz',
  '/quiz?result=sensitive',
  '/cart',
  '/checkout',
  '/account/login',
  '/account/signup',
  '/cart/restore/not-a-token',
  '/products/no-such-product',
  '/no-such-page',
];

/** A fresh address per test: the e2e database lives for the whole run. */
export const uniqueEmail = (who = 'shopper') =>
  `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;

/** Keeps the email popup away, as a visitor who already answered it would. */
export async function skipEmailPopup(target: Page | BrowserContext) {
  await target.addInitScript(() => localStorage.setItem('glowlab-popup-dismissed', 'dismissed'));
}

type QuizQuestion = Quiz['questions'][number];

/** Starts the skin quiz (on its page) and answers every question with the option `pick` chooses, to the result. */
export async function answerQuiz(page: Page, pick: (question: QuizQuestion) => QuizQuestion['options'][number]) {
  const { questions } = getQuiz();
  await page.getByRole('button', { name: 'Start the quiz' }).click();
  for (const [i, question] of questions.entries()) {
    await page
      .getByRole('radiogroup', { name: question.prompt })
      .getByRole('radio', { name: pick(question).label })
      .check();
    await page.getByRole('button', { name: i === questions.length - 1 ? 'See my routine' : 'Next' }).click();
  }
}

/** Puts lines straight into the stored cart (tests that are not about browsing), extra fields and all. */
export async function seedCart(page: Page, lines: ({ sku: string; quantity: number } & Record<string, unknown>)[]) {
  const stored = lines.map((l) => ({ variantId: findVariantBySku(l.sku)?.variant.id ?? 'var_unknown', ...l }));
  await page.addInitScript(
    (value) => {
      if (!sessionStorage.getItem('cart-seeded')) {
        localStorage.setItem('glowlab-cart', value);
        sessionStorage.setItem('cart-seeded', '1');
      }
    },
    JSON.stringify({ state: { lines: stored }, version: 1 }),
  );
}

export type Address = {
  email?: string;
  name: string;
  addressLine1: string;
  city: string;
  postalCode: string;
  country: string;
  /** State/province code where the country needs one (US, CA, AU). */
  region?: string;
};

const REGION_FOR: Record<string, { label: string; code: string }> = {
  US: { label: 'State', code: 'OR' },
  CA: { label: 'Province or territory', code: 'ON' },
  AU: { label: 'State or territory', code: 'NSW' },
};

export const address = (email: string, country = 'US'): Address => ({
  email,
  name: 'Ada Shopper',
  addressLine1: '12 Test Street',
  city: 'Springfield',
  postalCode: '12345',
  country,
  region: REGION_FOR[country]?.code,
});

/** Fills the checkout form (email left alone when signed in) and waits for the server's quote. */
export async function fillCheckout(page: Page, a: Address) {
  if (a.email !== undefined) await page.getByLabel('Email').fill(a.email);
  await page.getByLabel('Full name').fill(a.name);
  await page.getByLabel('Street address').fill(a.addressLine1);
  await page.getByLabel('City').fill(a.city);
  await page.getByLabel('Postal code').fill(a.postalCode);
  await page.getByLabel('Country').selectOption(a.country);
  const region = REGION_FOR[a.country];
  if (region && a.region) await page.getByLabel(region.label).selectOption(a.region);
}

/** The checkout form holds this address (what fillCheckout typed). */
export async function expectCheckoutFilled(page: Page, a: Address) {
  if (a.email !== undefined) await expect(page.getByLabel('Email')).toHaveValue(a.email);
  await expect(page.getByLabel('Full name')).toHaveValue(a.name);
  await expect(page.getByLabel('Street address')).toHaveValue(a.addressLine1);
  await expect(page.getByLabel('City')).toHaveValue(a.city);
  await expect(page.getByLabel('Postal code')).toHaveValue(a.postalCode);
  await expect(page.getByLabel('Country')).toHaveValue(a.country);
  const region = REGION_FOR[a.country];
  if (region && a.region) await expect(page.getByLabel(region.label)).toHaveValue(a.region);
}

/** Places the order and returns the confirmation page's order id. */
export async function placeOrder(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/ord_[\w-]+\?sig=/);
  await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Read-only look at the e2e server's database: what was really stored, without any test-only route. */
export function queryShopDb<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, 'shop.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * For a spec whose tests the `postgres` project runs again (playwright.config.ts): where PostgreSQL is unavailable
 * they are still listed in that project, skipped with the reason, rather than silently left out.
 */
export function rerunOnPostgres() {
  test.beforeEach(() => {
    const info = test.info();
    const why = process.env.E2E_PG_SKIPPED;
    info.skip(info.project.name === 'postgres' && !!why, `PostgreSQL unavailable: ${why}`);
  });
}

/** queryShopDb on the database of the current project's servers: PostgreSQL for the `postgres` project. */
export async function queryProjectDb<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  const url = test.info().project.metadata.databaseUrl as string | undefined;
  if (!url) return queryShopDb<T>(sql, ...params);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let n = 0;
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as T[];
  } finally {
    await client.end();
  }
}
