// The seed's cart-recovery scenario as browser steps, shared by `npm run demo` and the e2e spec
// (tests/e2e/cart-recovery.spec.ts) so the demo and its test cannot drift apart.

export const CAMPAIGN_PATH = '/?utm_source=tiktok&utm_medium=paid_social&utm_campaign=glow_week';
export const VIEWED_PRODUCT = { handle: 'ceramide-serum', name: 'Ceramide Barrier Serum' };
export const BUNDLE = { handle: 'barrier-repair-ritual', name: 'Barrier Repair Ritual', sku: 'GL-BUN-BARRIER' };

/** Keeps the email popup away (a visitor who already dismissed it), so the scenario stays anonymous. */
export async function skipEmailPopup(context) {
  await context.addInitScript(() => localStorage.setItem('glowlab-popup-dismissed', 'dismissed'));
}

/** Reads the anonymous id the shop minted for this browser (cookie `ajs_anonymous_id`). */
export async function anonymousIdOf(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'ajs_anonymous_id');
  return cookie ? decodeURIComponent(cookie.value).replace(/^"|"$/g, '') : null;
}

/** Campaign landing, two product views, the bundle added to the cart; then the shopper leaves. */
export async function browseAndAbandon(page) {
  await page.goto(CAMPAIGN_PATH);
  await page.goto(`/products/${VIEWED_PRODUCT.handle}`);
  await page.getByRole('heading', { level: 1, name: VIEWED_PRODUCT.name }).waitFor();
  await page.goto(`/products/${BUNDLE.handle}`);
  await page.getByRole('heading', { level: 1, name: BUNDLE.name }).waitFor();
  await page.getByRole('button', { name: /^Add.*to cart$/ }).first().click();
  await page.getByRole('status').filter({ hasText: 'Added 1 to your cart' }).waitFor();
}

/** The shopper comes back and creates an account: signup identifies them with a server-minted id. */
export async function createAccount(page, { name, email, password }) {
  await page.goto('/account/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/account$/);
}

/** A small client for /api/ops with the bearer token. */
export function opsClient(baseUrl, token) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  async function call(method, path, body) {
    const res = await fetch(`${baseUrl}/api/ops/${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} /api/ops/${path} → ${res.status}: ${json.error ?? JSON.stringify(json)}`);
    return json;
  }
  return { get: (path) => call('GET', path), post: (path, body = {}) => call('POST', path, body) };
}

/** Polls until `check` returns a truthy value (events reach the pipeline asynchronously), or fails after `ms`. */
export async function eventually(what, check, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
