// The seed's cart-recovery scenario as browser steps, shared by `npm run demo` and the e2e spec
// (tests/e2e/cart-recovery.spec.ts) so the demo and its test cannot drift apart.

export const CAMPAIGN_PATH = '/?utm_source=tiktok&utm_medium=paid_social&utm_campaign=glow_week';
export const VIEWED_PRODUCT = { handle: 'ceramide-serum', name: 'Ceramide Barrier Serum' };
export const BUNDLE = { handle: 'barrier-repair-ritual', name: 'Barrier Repair Ritual', sku: 'GL-BUN-BARRIER' };

/** A visitor who already answered the consent banner and dismissed the email popup (so she stays anonymous). */
export async function prepareShopper(context, baseURL) {
  await context.addCookies([{ name: 'glowlab_consent', value: 'granted', url: baseURL }]);
  await context.addInitScript(() => localStorage.setItem('glowlab-popup-dismissed', 'dismissed'));
}

/** Reads the anonymous id the shop minted for this browser (cookie `ajs_anonymous_id`). */
export async function anonymousIdOf(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'ajs_anonymous_id');
  return cookie ? decodeURIComponent(cookie.value).replace(/^"|"$/g, '') : null;
}

/**
 * Resolves when the pipeline accepted a browser call whose body contains every one of `texts`. Navigating on
 * before that would leave the call in the SDK's queue for a later page, out of the story's order.
 */
const accepted = (page, ...texts) =>
  page.waitForResponse((r) => {
    const body = r.request().postData() ?? '';
    return /\/api\/cdp\/v1\//.test(r.url()) && r.ok() && texts.every((t) => body.includes(t));
  });

/**
 * Campaign landing, two product views, the bundle added to the cart; then the shopper leaves. `pause` runs
 * between steps: on a manual pipeline clock, advance it there, so the visit takes minutes as a real one would.
 */
export async function browseAndAbandon(page, { pause = async () => {} } = {}) {
  await Promise.all([accepted(page, 'tiktok'), page.goto(CAMPAIGN_PATH)]);
  for (const product of [VIEWED_PRODUCT, BUNDLE]) {
    await pause();
    await Promise.all([accepted(page, '"Product Viewed"', product.name), page.goto(`/products/${product.handle}`)]);
  }
  await pause();
  await Promise.all([
    accepted(page, '"Added to Cart"'),
    page
      .getByRole('button', { name: /^Add.*to cart$/ })
      .first()
      .click(),
  ]);
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
    const res = await fetch(`${baseUrl}/api/ops/${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
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
