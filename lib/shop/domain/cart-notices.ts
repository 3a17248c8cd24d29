import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartNotice, type CartSku } from './cart-lines';
import { unsoldItem } from './unsold-item';

// Apart from ./cart-lines.ts (which the cart store loads on every page): only the pages showing the notice load it.

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
