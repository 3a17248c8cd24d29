import { Liquid, type Context, type Emitter, type TagToken } from 'liquidjs';

/**
 * The Liquid dialect of Customer.io, as far as the templates use it: stock Liquid (liquidjs) plus the two pieces
 * Customer.io adds under its own names (docs.customer.io, "Liquid syntax list"), implemented here with its
 * semantics. Nothing else is registered, and filters are strict, so a template using anything Customer.io does
 * not document fails here before it could fail there. The list, with where each is documented, is in
 * lib/cdp/engine/README.md ("Messages").
 */

/** Where `{% unsubscribe_url %}` finds the recipient's link: a render global no template can name. */
export const UNSUBSCRIBE_URL = '@unsubscribe_url';

const DEFAULT_LOCALE = 'en-us';

/** The currency a locale's country uses; Customer.io's `currency` takes a locale, not a currency code. */
const CURRENCY_OF_REGION: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  GB: 'GBP',
  AU: 'AUD',
  NZ: 'NZD',
  IE: 'EUR',
  DE: 'EUR',
  FR: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  AT: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  CH: 'CHF',
  SE: 'SEK',
  DK: 'DKK',
  NO: 'NOK',
  JP: 'JPY',
};

// One formatter per locale as written: building an Intl.NumberFormat costs far more than formatting with it, and a
// cart email formats every price (it was a third of a journey pass's rendering); reading the locale's text again
// for every price was most of what remained. Locales come from templates (a handful); null for an unknown one.
const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterFor(locale: string): Intl.NumberFormat | null {
  let format = formatters.get(locale);
  if (format === undefined) {
    const match = /^([a-z]{2})[-_]([a-z]{2})$/i.exec(locale);
    const code = match && CURRENCY_OF_REGION[match[2]!.toUpperCase()];
    const tag = match && `${match[1]!.toLowerCase()}-${match[2]!.toUpperCase()}`;
    format = tag && code ? new Intl.NumberFormat(tag, { style: 'currency', currency: code }) : null;
    if (formatters.size < 64) formatters.set(locale, format);
  }
  return format;
}

/**
 * `{{ 10 | currency: "en-us" }}` → `$10.00`: a number formatted as money for a locale (default `en-us`), as
 * Customer.io's currency filter does. Numeric strings count as numbers (attributes often arrive as text).
 * Anything else fails the render, so a message never goes out with a blank or made-up price.
 */
export function currency(value: unknown, locale: unknown = DEFAULT_LOCALE): string {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(amount)) throw new Error(`currency: ${JSON.stringify(value)} is not a number`);
  const format = typeof locale === 'string' ? formatterFor(locale) : null;
  if (!format) throw new Error(`currency: no currency is known for the locale ${JSON.stringify(locale)}`);
  return format.format(amount);
}

/**
 * `{% unsubscribe_url %}`: the recipient's unsubscribe link. Customer.io renders its own; the local pipeline
 * passes the shop's signed `/unsubscribe/{token}` link as a render global.
 */
const unsubscribeUrl = {
  parse(token: TagToken) {
    if (token.args.trim()) throw new Error('unsubscribe_url takes no arguments');
  },
  render(ctx: Context, emitter: Emitter) {
    const url = (ctx.globals as Record<string, unknown>)[UNSUBSCRIBE_URL];
    if (typeof url !== 'string' || !url) throw new Error('unsubscribe_url: no unsubscribe link for this recipient');
    emitter.write(url);
  },
};

/**
 * A Liquid engine that behaves like Customer.io's: an output of a variable nobody set fails the render (as a
 * Customer.io message fails), while `default` and `if` tolerate it; unknown filters fail too. No automatic
 * escaping either: HTML templates escape what they print with `| escape`, as they must in Customer.io.
 */
export function customerIoLiquid(): Liquid {
  const engine = new Liquid({ strictVariables: true, strictFilters: true, lenientIf: true, ownPropertyOnly: true });
  engine.registerFilter('currency', currency);
  engine.registerTag('unsubscribe_url', unsubscribeUrl);
  return engine;
}
