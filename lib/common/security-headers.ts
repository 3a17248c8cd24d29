/**
 * Security headers of every response (issue 9 §4). Pure and dependency-free: next.config.ts reads the static ones
 * for every path, proxy.ts builds each page's Content-Security-Policy with a fresh nonce.
 *
 * Why this policy: the App Router streams its data in inline <script> tags and loads chunks by adding <script>
 * elements, so a host allow-list cannot work; a per-request nonce plus 'strict-dynamic' trusts exactly the scripts
 * Next renders and what they load (the browser SDK is a bundled chunk that posts to this origin: connect-src
 * 'self'). No third-party host appears anywhere. Styles are Tailwind's stylesheet plus a few style="" attributes
 * (chart widths), which nonces cannot cover, hence 'unsafe-inline' for styles only. frame-ancestors 'none' keeps
 * the console and the account pages out of other sites' frames.
 */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  // Full URLs (order links, restore tokens) stay on this site; other sites are told nothing.
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  },
  // For browsers without CSP frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** JSON and redirects: nothing to run, embed or frame. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export type PagePolicyOptions = {
  /** A fresh nonce for a page rendered per request; none for a prerendered page (see staticPagePolicy below). */
  nonce: string;
  /** `next dev` needs eval for fast refresh. */
  development: boolean;
  /** Origins images may also come from besides this one (APP_URL, which emails' images use). */
  imageOrigins?: readonly string[];
  /** Served over https: ask the browser to upgrade any http subresource. */
  https?: boolean;
};

export function pageContentSecurityPolicy(options: PagePolicyOptions) {
  return policy(`'self' 'nonce-${options.nonce}' 'strict-dynamic'`, options);
}

/**
 * The policy of every page that does not render personal data per request (NONCE_PAGE): the storefront's
 * prerendered pages (home, collections, products), the cart, search, quiz and the 404 page. A prerendered page's
 * HTML is built once and served to everyone, so it cannot carry a per-request nonce, and its inline scripts
 * (Next's RSC payload) differ per page and build, so no fixed hash list covers them: scripts from this origin and
 * inline ones run. The trade-off (README, "Security"): an injected inline script would run on these pages, where
 * a nonce would have stopped it. They render the catalogue from code and no personal data (what the cart and
 * search show comes from the browser's own storage and URL and is escaped by React); every other directive is as
 * strict as the nonce policy (connect-src and form-action 'self', no plugins, no <base>, no framing).
 */
export function staticPageContentSecurityPolicy(options: Omit<PagePolicyOptions, 'nonce'>) {
  return policy("'self' 'unsafe-inline'", options);
}

/**
 * Pages rendered per request with personal data or secrets (account, checkout, orders, cart restore links,
 * unsubscribe links, the ops console): they keep a fresh nonce with 'strict-dynamic'.
 */
export const NONCE_PAGE = /^\/(?:account|checkout|orders|cart\/restore|unsubscribe|ops)(?:\/|$)/;

function policy(scriptSources: string, { development, imageOrigins = [], https }: Omit<PagePolicyOptions, 'nonce'>) {
  const directives = [
    "default-src 'self'",
    `script-src ${scriptSources}${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...imageOrigins].join(' '),
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** A nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The policy of a rendered email inside the console's preview (a sandboxed srcdoc frame): its own inline styles,
 * images only from the shop's origins, nothing else — a tracking pixel or any remote image stays unloaded.
 */
export function emailPreviewContentSecurityPolicy(imageOrigins: readonly string[]): string {
  return ["default-src 'none'", "style-src 'unsafe-inline'", ['img-src data:', ...imageOrigins].join(' ')].join('; ');
}
