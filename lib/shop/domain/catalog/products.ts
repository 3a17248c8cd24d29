import type { Product } from './schema';

/**
 * The product catalogue: plain data, safe to import from client components for display.
 * Prices are integer cents in USD; the server recomputes every price from this file at checkout.
 * `skinTypes` are the skin types a product suits (search and the collection filter use them); `ingredients`
 * are its key ingredients. A bundle lists no ingredients of its own: it has its parts' (see ./index.ts).
 */
export const products: Product[] = [
  {
    id: 'prod_gentle_gel_cleanser',
    handle: 'gentle-gel-cleanser',
    name: 'Gentle Gel Cleanser',
    category: 'Cleanser',
    description:
      'A low-foam, pH-balanced gel that lifts sunscreen and city grime without stripping. Glycerin and panthenol leave skin soft, never tight.',
    skinTypes: ['combination', 'dry', 'sensitive'],
    ingredients: ['glycerin', 'panthenol'],
    image: '/products/gentle-gel-cleanser.svg',
    variants: [
      { id: 'var_gentle_gel_cleanser_150', sku: 'GL-CLN-GEL-150', name: '150 ml', priceCents: 1800 },
      { id: 'var_gentle_gel_cleanser_300', sku: 'GL-CLN-GEL-300', name: '300 ml', priceCents: 3000 },
    ],
  },
  {
    id: 'prod_oat_milk_cleanser',
    handle: 'oat-milk-cleanser',
    name: 'Oat Milk Cream Cleanser',
    category: 'Cleanser',
    description:
      'A milky cream cleanser with colloidal oat for dry and reactive skin. Massage onto dry skin, add water, rinse to a cushiony finish.',
    skinTypes: ['dry', 'sensitive'],
    ingredients: ['colloidal oat', 'glycerin'],
    image: '/products/oat-milk-cleanser.svg',
    variants: [{ id: 'var_oat_milk_cleanser_150', sku: 'GL-CLN-OAT-150', name: '150 ml', priceCents: 2000 }],
  },
  {
    id: 'prod_clarifying_foam_cleanser',
    handle: 'clarifying-foam-cleanser',
    name: 'Clarifying BHA Foam Cleanser',
    category: 'Cleanser',
    description:
      'A fine foam with 0.5% salicylic acid that keeps pores clear and shine in check, balanced with zinc PCA so it never feels squeaky.',
    skinTypes: ['oily', 'combination'],
    ingredients: ['salicylic acid', 'zinc PCA'],
    image: '/products/clarifying-foam-cleanser.svg',
    variants: [
      { id: 'var_clarifying_foam_cleanser_150', sku: 'GL-CLN-BHA-150', name: '150 ml', priceCents: 1900 },
      { id: 'var_clarifying_foam_cleanser_300', sku: 'GL-CLN-BHA-300', name: '300 ml', priceCents: 3200 },
    ],
  },
  {
    id: 'prod_melting_cleansing_balm',
    handle: 'melting-cleansing-balm',
    name: 'Melting Cleansing Balm',
    category: 'Cleanser',
    description:
      'A sorbet-textured balm that melts into an oil and dissolves long-wear makeup and SPF, then rinses clean with water. The first step of a double cleanse.',
    skinTypes: ['dry', 'oily', 'combination'],
    ingredients: ['squalane', 'sunflower seed oil'],
    image: '/products/melting-cleansing-balm.svg',
    variants: [
      { id: 'var_melting_cleansing_balm_50', sku: 'GL-CLN-BALM-50', name: '50 ml', priceCents: 1600 },
      { id: 'var_melting_cleansing_balm_100', sku: 'GL-CLN-BALM-100', name: '100 ml', priceCents: 2600 },
    ],
  },
  {
    id: 'prod_niacinamide_serum',
    handle: 'niacinamide-serum',
    name: 'Niacinamide 10% Serum',
    category: 'Serum',
    description:
      'A featherweight serum with 10% niacinamide and 1% zinc to refine the look of pores, even tone and calm oil through the day.',
    skinTypes: ['oily', 'combination'],
    ingredients: ['niacinamide', 'zinc PCA'],
    image: '/products/niacinamide-serum.svg',
    variants: [
      { id: 'var_niacinamide_serum_15', sku: 'GL-SER-NIA-15', name: '15 ml', priceCents: 1400 },
      { id: 'var_niacinamide_serum_30', sku: 'GL-SER-NIA-30', name: '30 ml', priceCents: 2400 },
    ],
  },
  {
    id: 'prod_hyaluronic_serum',
    handle: 'hyaluronic-serum',
    name: 'Hyaluronic Hydration Serum',
    category: 'Serum',
    description:
      'Three weights of hyaluronic acid plus betaine draw water into every layer of the skin for a plump, dewy finish that layers under anything.',
    skinTypes: ['dry', 'oily', 'combination'],
    ingredients: ['hyaluronic acid', 'betaine'],
    image: '/products/hyaluronic-serum.svg',
    variants: [
      { id: 'var_hyaluronic_serum_30', sku: 'GL-SER-HA-30', name: '30 ml', priceCents: 2600 },
      { id: 'var_hyaluronic_serum_60', sku: 'GL-SER-HA-60', name: '60 ml', priceCents: 4400 },
    ],
  },
  {
    id: 'prod_vitamin_c_serum',
    handle: 'vitamin-c-serum',
    name: 'Vitamin C Brightening Serum',
    category: 'Serum',
    description:
      'A stable 15% vitamin C derivative with ferulic acid and vitamin E that brightens dullness and defends against daily pollution. Use in the morning under SPF.',
    skinTypes: ['dry', 'oily', 'combination'],
    ingredients: ['vitamin C', 'ferulic acid', 'vitamin E'],
    image: '/products/vitamin-c-serum.svg',
    variants: [
      { id: 'var_vitamin_c_serum_15', sku: 'GL-SER-VTC-15', name: '15 ml', priceCents: 2200 },
      { id: 'var_vitamin_c_serum_30', sku: 'GL-SER-VTC-30', name: '30 ml', priceCents: 3800 },
    ],
  },
  {
    id: 'prod_ceramide_serum',
    handle: 'ceramide-serum',
    name: 'Ceramide Barrier Serum',
    category: 'Serum',
    description:
      'Skin-identical ceramides, cholesterol and fatty acids in the ratio your barrier uses, to calm tightness and stop moisture escaping.',
    skinTypes: ['dry', 'sensitive'],
    ingredients: ['ceramides', 'cholesterol', 'fatty acids'],
    image: '/products/ceramide-serum.svg',
    variants: [{ id: 'var_ceramide_serum_30', sku: 'GL-SER-CER-30', name: '30 ml', priceCents: 3200 }],
  },
  {
    id: 'prod_centella_serum',
    handle: 'centella-calming-serum',
    name: 'Centella Calming Serum',
    category: 'Serum',
    description:
      'A fragrance-free serum with centella asiatica and allantoin that soothes redness and sting. Patch-tested on sensitive skin.',
    skinTypes: ['sensitive', 'dry'],
    ingredients: ['centella asiatica', 'allantoin'],
    image: '/products/centella-calming-serum.svg',
    variants: [
      { id: 'var_centella_serum_30', sku: 'GL-SER-CICA-30', name: '30 ml', priceCents: 2800 },
      { id: 'var_centella_serum_50', sku: 'GL-SER-CICA-50', name: '50 ml', priceCents: 4200 },
    ],
  },
  {
    id: 'prod_barrier_repair_cream',
    handle: 'barrier-repair-cream',
    name: 'Barrier Repair Cream',
    category: 'Moisturiser',
    description:
      'A rich but fast-absorbing cream with ceramides, squalane and shea that repairs a compromised barrier overnight and keeps it comfortable all day.',
    skinTypes: ['dry', 'sensitive'],
    ingredients: ['ceramides', 'squalane', 'shea butter'],
    image: '/products/barrier-repair-cream.svg',
    variants: [
      { id: 'var_barrier_repair_cream_50', sku: 'GL-MOI-BAR-50', name: '50 ml', priceCents: 2800 },
      { id: 'var_barrier_repair_cream_100', sku: 'GL-MOI-BAR-100', name: '100 ml', priceCents: 4600 },
    ],
  },
  {
    id: 'prod_oil_free_gel_moisturiser',
    handle: 'oil-free-gel-moisturiser',
    name: 'Oil-Free Gel Moisturiser',
    category: 'Moisturiser',
    description:
      'A bouncy water-gel that hydrates without weight or shine. Green tea and niacinamide keep oily and combination skin balanced.',
    skinTypes: ['oily', 'combination'],
    ingredients: ['green tea', 'niacinamide'],
    image: '/products/oil-free-gel-moisturiser.svg',
    variants: [{ id: 'var_oil_free_gel_moisturiser_50', sku: 'GL-MOI-GEL-50', name: '50 ml', priceCents: 2400 }],
  },
  {
    id: 'prod_rich_night_cream',
    handle: 'rich-night-cream',
    name: 'Rich Night Cream',
    category: 'Moisturiser',
    description:
      'A cocooning overnight cream with bakuchiol and peptides that restores softness to very dry skin while you sleep.',
    skinTypes: ['dry'],
    ingredients: ['bakuchiol', 'peptides'],
    image: '/products/rich-night-cream.svg',
    variants: [
      { id: 'var_rich_night_cream_50', sku: 'GL-MOI-NGT-50', name: '50 ml', priceCents: 3400 },
      { id: 'var_rich_night_cream_100', sku: 'GL-MOI-NGT-100', name: '100 ml', priceCents: 5600 },
    ],
  },
  {
    id: 'prod_daily_mineral_spf',
    handle: 'daily-mineral-spf',
    name: 'Daily Mineral SPF 30',
    category: 'Moisturiser',
    description:
      'A sheer zinc oxide moisturiser with broad-spectrum SPF 30 that leaves no white cast. The last step of every morning routine.',
    skinTypes: ['dry', 'oily', 'combination', 'sensitive'],
    ingredients: ['zinc oxide'],
    image: '/products/daily-mineral-spf.svg',
    variants: [{ id: 'var_daily_mineral_spf_50', sku: 'GL-MOI-SPF-50', name: '50 ml', priceCents: 2200 }],
  },
  {
    id: 'prod_barrier_repair_ritual',
    handle: 'barrier-repair-ritual',
    name: 'Barrier Repair Ritual',
    category: 'Bundle',
    description:
      'Our three-step routine for stressed, tight or flaky skin: Gentle Gel Cleanser (150 ml), Ceramide Barrier Serum (30 ml) and Barrier Repair Cream (50 ml), together for less.',
    skinTypes: ['dry', 'sensitive'],
    image: '/products/barrier-repair-ritual.svg',
    variants: [{ id: 'var_barrier_repair_ritual', sku: 'GL-BUN-BARRIER', name: 'Set of 3', priceCents: 6400 }],
    bundleOf: ['GL-CLN-GEL-150', 'GL-SER-CER-30', 'GL-MOI-BAR-50'],
  },
  {
    id: 'prod_clear_skin_routine',
    handle: 'clear-skin-routine',
    name: 'Clear Skin Routine',
    category: 'Bundle',
    description:
      'Everything oily and breakout-prone skin needs: Clarifying BHA Foam Cleanser (150 ml), Niacinamide 10% Serum (30 ml) and Oil-Free Gel Moisturiser (50 ml).',
    skinTypes: ['oily', 'combination'],
    image: '/products/clear-skin-routine.svg',
    variants: [{ id: 'var_clear_skin_routine', sku: 'GL-BUN-CLEAR', name: 'Set of 3', priceCents: 5600 }],
    bundleOf: ['GL-CLN-BHA-150', 'GL-SER-NIA-30', 'GL-MOI-GEL-50'],
  },
  {
    id: 'prod_morning_glow_duo',
    handle: 'morning-glow-duo',
    name: 'Morning Glow Duo',
    category: 'Bundle',
    description:
      'Brighten, then protect: Vitamin C Brightening Serum (15 ml) and Daily Mineral SPF 30 (50 ml), the two steps that do the most for tone.',
    skinTypes: ['dry', 'oily', 'combination', 'sensitive'],
    image: '/products/morning-glow-duo.svg',
    variants: [{ id: 'var_morning_glow_duo', sku: 'GL-BUN-GLOW', name: 'Set of 2', priceCents: 3800 }],
    bundleOf: ['GL-SER-VTC-15', 'GL-MOI-SPF-50'],
  },
];

/** Products shown on the home page, in order. */
export const featuredProductHandles = [
  'barrier-repair-ritual',
  'niacinamide-serum',
  'gentle-gel-cleanser',
  'hyaluronic-serum',
] as const;
