import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartNotice, type CartSku } from './cart-lines';
import { unsoldItem } from './unsold-item';

// Apart from ./cart-lines.ts (which the cart store loads on every page): only the pages showing the notice load it.

const MAX_SAVED_NOTICES = 100;
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * The notices to show of those the cart store holds: saved beside the cart in localStorage (user-editable), they are
 * read back as they were written, so only the shapes sanitizeLines makes are shown, and at most 100.
 */
export function shownNotices(notices: readonly unknown[]): CartNotice[] {
  return notices.filter(isCartNotice).slice(0, MAX_SAVED_NOTICES);
}

function isCartNotice(value: unknown): value is CartNotice {
  if (typeof value !== 'object' || value === null) return false;
  const n = value as Record<string, unknown>;
  switch (n.kind) {
    case 'malformed':
      return true;
    case 'unknown':
      return isText(n.sku);
    case 'quantity':
      return isText(n.sku) && isText(n.name) && (n.quantity === null || typeof n.quantity === 'number');
    case 'capped':
      return isText(n.sku) && isText(n.name) && isCount(n.requested);
    case 'too_many':
      return isText(n.sku) && isText(n.name);
    default:
      return false;
  }
}

/**
 * One sentence per notice, naming the item, product and size; an item no longer in the catalogue by what `sold` (the
 * SKUs the catalogue sells) tells of it (unsoldItem).
 */
export function describeNotice(notice: CartNotice, sold: Iterable<CartSku> = []): string {
  switch (notice.kind) {
    case 'unknown':
      return `${unsoldItem(notice.sku, sold)} was removed: it is no longer sold.`;
    case 'quantity':
      return `${notice.name} was removed: its quantity${notice.quantity === null ? '' : ` (${notice.quantity})`} was not a whole number from 1 to ${MAX_LINE_QUANTITY}.`;
    case 'malformed':
      return 'An item was removed: it was saved in a form we could not read.';
    case 'capped':
      return `${notice.name} was reduced from ${notice.requested} to ${MAX_LINE_QUANTITY}, the most of one item per order.`;
    case 'too_many':
      return `${notice.name} was removed: an order holds at most ${MAX_CART_LINES} different items.`;
  }
}
