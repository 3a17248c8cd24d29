/** The shop's one product. A real shop reads it from its catalog; prices are major units, as the plan wants. */
export const PRODUCT = {
  sku: 'MS-SPF50-50',
  variant_id: 'var_spf50_50ml',
  product_id: 'prod_spf50',
  name: 'Daily Sunscreen SPF 50',
  price: 24,
  currency: 'USD',
  image: '/sunscreen.svg',
} as const;
