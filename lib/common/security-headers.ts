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
  nonce: string;
  /** `next dev` needs eval for fast refresh. */
  development: boolean;
  /** Origins images may also come from besides this one (APP_URL, which emails' images use). */
  imageOrigins?: readonly string[];
  /** Served over https: ask the browser to upgrade any http subresource. */
  https?: boolean;
};

export function pageContentSecurityPolicy({ nonce, development, imageOrigins = [], https }: PagePolicyOptions) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
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
