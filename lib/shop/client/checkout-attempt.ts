import { removeBought } from '@/lib/shop/domain/bought-lines';
import { isUuidV4, uuidV4 } from '@/lib/tracking/ids';
import { useCart } from './cart-store';
import { ATTEMPT_KEY, DRAFT_KEY } from './checkout-keys';

export { endCheckoutAttempt } from './checkout-keys';

/**
 * The key of this tab's checkout attempt (placeOrder's idempotencyKey). It outlives a reload: a shopper whose Place
 * order answer was lost may well reload before pressing it again, and must get the order already placed, not a
 * second one. Per tab (sessionStorage), so another tab's checkout is its own attempt. Without storage (blocked),
 * a key per page load, as before.
 */

/** The saved key, else a new one, saved; `fresh`: a new one whatever is saved (the next attempt). */
export function checkoutAttemptKey({ fresh = false } = {}): string {
  try {
    const saved = fresh ? null : sessionStorage.getItem(ATTEMPT_KEY);
    // Anything else saved there would fail the server's check on every press, for good: replaced.
    if (isUuidV4(saved)) return saved;
    const key = uuidV4();
    sessionStorage.setItem(ATTEMPT_KEY, key);
    return key;
  } catch {
    return uuidV4();
  }
}

/**
 * What the shopper typed into this attempt's form (contact and address, never anything secret), kept by the tab
 * across a reload like the key: a reload in the middle of checkout must not empty the address. Only these fields;
 * the discount code is re-applied by the shopper, as its total must be shown again before it is charged.
 */
export const CHECKOUT_DRAFT_FIELDS = ['email', 'name', 'addressLine1', 'city', 'postalCode', 'country', 'region'];
export type CheckoutDraft = Partial<Record<string, string>>;

/** The draft fields `read` gives as text (anything else, or a field not there, is left out). */
const draftOf = (read: (name: string) => unknown): CheckoutDraft =>
  Object.fromEntries(
    CHECKOUT_DRAFT_FIELDS.flatMap((name) => {
      const value = read(name);
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );

/** The form as this tab last saw it, or nothing (none saved, storage blocked, or something else saved there). */
export function checkoutDraft(): CheckoutDraft {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? '{}');
    return saved && typeof saved === 'object' ? draftOf((name) => (saved as Record<string, unknown>)[name]) : {};
  } catch {
    return {};
  }
}

/** Saves the draft fields of the checkout form as they are now (called as the shopper types). */
export function saveCheckoutDraft(form: HTMLFormElement) {
  const data = new FormData(form);
  const draft = draftOf((name) => data.get(name));
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage blocked or full: the form works as before, only a reload empties it.
  }
}

/**
 * Takes what an order bought out of the cart, and only that: read from storage first, as another tab may have saved
 * lines or quantities since this page last read it (its storage event comes later, or not before the page leaves).
 * Resolves to the lines left.
 */
export async function removeBoughtFromCart(bought: readonly { sku: string; quantity: number }[]) {
  await useCart.persist.rehydrate();
  const { lines, replace } = useCart.getState();
  const kept = removeBought(lines, bought);
  replace(kept);
  return kept;
}
