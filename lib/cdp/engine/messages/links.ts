/**
 * A message links only to the shop: http(s) URLs on the shop's own origin. Anything else (`javascript:`, a
 * tracking pixel on another host, a look-alike domain) is replaced by the shop's URL, in the data before
 * rendering (`keepShopLinks`) and again in what was rendered (`guardRenderedLinks`), so a template that prints
 * some other field cannot let one through either.
 */

// The shop's own origin is asked for every link of every message: parsed once per shop URL.
const origins = new Map<string, string>();
function originOf(url: string): string {
  let origin = origins.get(url);
  if (origin === undefined) {
    origin = new URL(url).origin;
    if (origins.size < 16) origins.set(url, origin);
  }
  return origin;
}

// Checked links by shop URL and link: the same product and image links recur in every email of a pass, and
// parsing each again was most of composing a message once rendering got fast. Bounded: cleared when full.
const checked = new Map<string, Map<string, string>>();
const MAX_CHECKED = 2_000;

/** `value` when it is an http(s) URL on the shop's origin (a `/path` is taken as one), else the shop's URL. */
export function shopLink(value: unknown, shopUrl: string): string {
  if (typeof value !== 'string') return shopUrl;
  let known = checked.get(shopUrl);
  if (!known) {
    if (checked.size >= 16) checked.clear();
    checked.set(shopUrl, (known = new Map()));
  }
  let link = known.get(value);
  if (link === undefined) {
    if (known.size >= MAX_CHECKED) known.clear();
    known.set(value, (link = checkLink(value, shopUrl)));
  }
  return link;
}

function checkLink(value: string, shopUrl: string): string {
  const origin = originOf(shopUrl);
  // `/x` is a path on the shop; `//host/x` and `\\host` are other hosts.
  const path = /^\/(?![/\\])/.test(value);
  let url: URL;
  try {
    url = path ? new URL(value, origin) : new URL(value);
  } catch {
    return shopUrl;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) return shopUrl;
  // As written (so it reads as in Customer.io), unless it hides whitespace or controls a client would drop.
  return path || /[\s\u0000-\u001f\u007f]/.test(value) ? url.href : value;
}

const isLinkKey = (key: string) => key === 'url' || key.endsWith('_url');

/**
 * `data` with every string under a `…url` key (at any depth) passed through `shopLink`. Objects and arrays in
 * which nothing changed are returned as they are (most data has no foreign link; copying all of it for every
 * email was a pass's garbage); the others are copies. `data` itself is never modified.
 */
export function keepShopLinks<T>(data: T, shopUrl: string): T {
  // Loops that copy a container only once a value in it changes: Object.entries, map and every per object
  // allocated several arrays per node of every email's data (a tenth of composing a message).
  const walk = (value: unknown, key: string | null): unknown => {
    if (Array.isArray(value)) {
      let next: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const v = walk(value[i], null);
        if (next) next.push(v);
        else if (v !== value[i]) (next = value.slice(0, i)).push(v);
      }
      return next ?? value;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let next: [string, unknown][] | null = null;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = walk(record[k], k);
        if (next) next.push([k, v]);
        else if (v !== record[k]) (next = keys.slice(0, i).map((j) => [j, record[j]])).push([k, v]);
      }
      // fromEntries, not assignment: a `__proto__` key in the data stays a plain key.
      return next ? Object.fromEntries(next) : value;
    }
    return key !== null && isLinkKey(key) && typeof value === 'string' ? shopLink(value, shopUrl) : value;
  };
  return walk(data, null) as T;
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', colon: ':' };

/** Attribute values are HTML-escaped; `javascript&#58;` must be read as what a mail client would follow. */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== '#') return ENTITIES[code.toLowerCase()] ?? whole;
    const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
    return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
  });
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

// Every attribute a mail client may fetch or follow.
const LINK_ATTRIBUTE =
  /\b(href|src|srcset|action|formaction|background|poster|xlink:href)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)/gi;
// In plain text, anything with a scheme a client might turn into a link. A scheme is tried only from the start of a
// run of scheme characters (the lookbehind), so a long run without `://` is read once, not once per character as
// `\b[a-z][a-z0-9+.-]*:\/\/` did (30 KB of `a.a.a…` in an event's name took 0.3 s per email). The run is taken
// whole even where it starts with a digit or `+.-` (`1.http://…`): a client may link from any letter in it.
const TEXT_LINK = /(?<![a-z0-9+.-])[a-z0-9+.-]+:\/\/[^\s<>"']*|\b(?:javascript|data|vbscript):[^\s<>"']*/gi;
const TRAILING_PUNCTUATION = ').,;:!?]';
const SPACE = /\s/;

/** `found` split before its trailing punctuation ("(see https://…)." ends a sentence), which mail clients leave out. */
function splitTrailing(found: string): [link: string, tail: string] {
  let end = found.length;
  while (end > 0 && TRAILING_PUNCTUATION.includes(found[end - 1]!)) end--;
  return [found.slice(0, end), found.slice(end)];
}

/**
 * `html` with each CSS `url(…)` replaced by `url('<replace(raw)>')`: what `url\(\s*(['"]?)([^'")]*)\1\s*\)` matches,
 * found in one scan. That regex read from every `url(` to the next quote or `)`, so `url(url(url(…` was read once per
 * `url(` (30 KB: 0.3–0.8 s per email); here every `url(` before the same quote or `)` shares one search for it.
 */
function replaceCssUrls(html: string, replace: (raw: string) => string): string {
  const starts = /url\(/gi;
  const stops = /['")]/g;
  let stop = -1;
  const nextStop = (from: number) => {
    // Body starts only grow, so a stop found at or after `from` is the first one after it.
    if (stop >= from) return stop;
    stops.lastIndex = from;
    return (stop = stops.exec(html)?.index ?? html.length);
  };
  let out = '';
  let copied = 0;
  for (let m = starts.exec(html); m; m = starts.exec(html)) {
    let j = m.index + 4;
    while (j < html.length && SPACE.test(html[j]!)) j++;
    const quote = html[j] === '"' || html[j] === "'" ? html[j]! : '';
    const body = j + quote.length;
    const end = nextStop(body);
    let close = end;
    if (quote) {
      if (html[end] !== quote) continue;
      close = end + 1;
      while (close < html.length && SPACE.test(html[close]!)) close++;
    }
    if (html[close] !== ')') continue;
    out += `${html.slice(copied, m.index)}url('${replace(html.slice(body, end))}')`;
    copied = starts.lastIndex = close + 1;
  }
  return out + html.slice(copied);
}

/** The rendered message with every link that is not on the shop's origin replaced by the shop's URL. */
export function guardRenderedLinks<M extends { subject: string; html: string; text: string }>(
  message: M,
  shopUrl: string,
): M {
  const plain = (value: string) =>
    value.replace(TEXT_LINK, (found) => {
      const [link, tail] = splitTrailing(found);
      return shopLink(link, shopUrl) + tail;
    });
  const html = replaceCssUrls(
    message.html.replace(LINK_ATTRIBUTE, (_whole, name: string, eq: string, quoted: string) => {
      const raw = /^["']/.test(quoted) ? quoted.slice(1, -1) : quoted;
      return `${name}${eq}"${escapeAttribute(shopLink(decodeEntities(raw).trim(), shopUrl))}"`;
    }),
    (raw) => shopLink(decodeEntities(raw).trim(), shopUrl),
  );
  return { ...message, subject: plain(message.subject), html, text: plain(message.text) };
}
