// Tables owned by lib/shop (customers, sessions, orders). Filled in by the storefront work.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as tables are added
export interface ShopTables {}
