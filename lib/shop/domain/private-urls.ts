import type { PrivateUrls } from '@/lib/tracking/private-urls';

/** The query parameter of an order link that proves its holder is the buyer (lib/shop/server/order-links.ts). */
export const ORDER_SIGNATURE_PARAM = 'sig';

/** Where an unsubscribe link's token stands: `/unsubscribe/{token}` opens that person's unsubscribe page. */
export const UNSUBSCRIBE_PATH = '/unsubscribe/';

/**
 * The secrets in the shop's own URLs, which the browser's analytics calls must not carry (the tracking layer takes
 * them out of every call's page address). Cart-restore tokens are left in on purpose: they hold a cart, no person,
 * and Cart Restored names its link by them.
 */
export const SHOP_PRIVATE_URLS: PrivateUrls = {
  queryParams: [ORDER_SIGNATURE_PARAM],
  pathPrefixes: [UNSUBSCRIBE_PATH],
};
