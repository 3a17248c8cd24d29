/**
 * Secrets a shop puts in its own URLs — a signature that opens an order's confirmation (`?sig=`), a token in a
 * path that unsubscribes a person (`/unsubscribe/{token}`) — must not leave the page inside the analytics calls:
 * the SDK copies the page's URL, path, query and referrer into every call (`context.page`, and a page call's
 * properties), the pipeline stores them and forwards them to Customer.io, and whoever reads either could then open
 * that link. The source middleware (./middleware.ts) rewrites those fields with the rules the shop puts in its
 * browser config (`browserTrackingConfig({ …, privateUrls })`), before anything is sent. Zod-free: it runs in the browser's SDK chunk.
 */
export type PrivateUrls = {
  /** Query parameters whose value is a secret: kept by name, their value replaced with REDACTED. */
  queryParams?: readonly string[];
  /** Path prefixes ending in `/` whose next segment is a secret (`/unsubscribe/`): the segment becomes REDACTED. */
  pathPrefixes?: readonly string[];
};

export const REDACTED = 'REDACTED';

/** The fields of `context.page` and of a page call's properties that carry the page's address. */
const URL_FIELDS = ['url', 'path', 'search', 'referrer'] as const;

// [origin?][path][?query][#fragment] of an absolute URL, a path or a bare query (`?a=1`, the `search` field).
// `s`: a fragment may hold a line break (the other parts' classes take one already); without it the match failed,
// after quadratic backtracking (32,000 characters: 2.2 s), and the URL was sent with its secrets.
const URL_PARTS = /^([a-z][a-z\d+.-]*:\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/is;

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** Replaces the value of each named parameter (compared decoded, as the server reads them) in `?a=1&sig=…`. */
function redactQuery(query: string, names: readonly string[]): string {
  const pairs = query.slice(1).split('&');
  const redacted = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    return names.includes(decoded(name)) ? `${name}=${REDACTED}` : pair;
  });
  return `?${redacted.join('&')}`;
}

function redactPath(path: string, prefixes: readonly string[]): string {
  // Compared decoded too: `/unsub%73cribe/…` reaches the same page.
  const prefix = prefixes.find((p) => decoded(path).startsWith(p));
  if (!prefix) return path;
  const rest = decoded(path).slice(prefix.length);
  const slash = rest.indexOf('/');
  return `${prefix}${REDACTED}${slash === -1 ? '' : rest.slice(slash)}`;
}

/** `value` (a URL, a path, or a query string) with the secrets `rules` name replaced by REDACTED. */
export function redactUrl(value: string, rules: PrivateUrls): string {
  const parts = URL_PARTS.exec(value);
  if (!parts) return value;
  const [, origin = '', path = '', query = '', fragment = ''] = parts;
  const names = rules.queryParams ?? [];
  const safeQuery = query && names.length ? redactQuery(query, names) : query;
  const safePath = path && rules.pathPrefixes?.length ? redactPath(path, rules.pathPrefixes) : path;
  return `${origin}${safePath}${safeQuery}${fragment}`;
}

/** Rewrites the address fields of `record` in place (string fields only; others are no address). */
export function redactUrlFields(record: Record<string, unknown> | undefined, rules: PrivateUrls): void {
  if (!record) return;
  for (const field of URL_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value) record[field] = redactUrl(value, rules);
  }
}

const isStringList = (value: unknown) =>
  value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/** None, or rules whose fields are lists of strings (the config's check, ./config.ts). */
export function isPrivateUrls(value: unknown): value is PrivateUrls | undefined {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const rules = value as Record<string, unknown>;
  return isStringList(rules.queryParams) && isStringList(rules.pathPrefixes);
}

/** Whether `rules` name anything to redact (most calls of a shop without them skip the work). */
export const hasPrivateUrls = (rules: PrivateUrls | undefined): rules is PrivateUrls =>
  !!rules && !!(rules.queryParams?.length || rules.pathPrefixes?.length);
