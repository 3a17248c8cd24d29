import { isUuidV4, uuidV4 } from '@/lib/tracking/ids';

/**
 * The key of this tab's checkout attempt (placeOrder's idempotencyKey). It outlives a reload: a shopper whose Place
 * order answer was lost may well reload before pressing it again, and must get the order already placed, not a
 * second one. Per tab (sessionStorage), so another tab's checkout is its own attempt. Without storage (blocked),
 * a key per page load, as before.
 */
const ATTEMPT_KEY = 'glowlab-checkout-attempt';

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

/** The attempt placed its order and the shopper saw it: the next checkout in this tab is a new attempt. */
export function endCheckoutAttempt() {
  try {
    sessionStorage.removeItem(ATTEMPT_KEY);
  } catch {
    // Storage blocked: there is nothing saved to forget.
  }
}
