import type { Collection } from './schema';

/** Collections list product ids; their order is the default ("featured") order of the grid. */
export const collections: Collection[] = [
  {
    id: 'col_cleansers',
    handle: 'cleansers',
    name: 'Cleansers',
    description: 'Gels, creams, foams and balms that clean without stripping.',
    productIds: [
      'prod_gentle_gel_cleanser',
      'prod_oat_milk_cleanser',
      'prod_clarifying_foam_cleanser',
      'prod_melting_cleansing_balm',
    ],
  },
  {
    id: 'col_serums',
    handle: 'serums',
    name: 'Serums',
    description: 'Concentrated treatments for hydration, clarity, brightness and calm.',
    productIds: [
      'prod_niacinamide_serum',
      'prod_hyaluronic_serum',
      'prod_vitamin_c_serum',
      'prod_ceramide_serum',
      'prod_centella_serum',
    ],
  },
  {
    id: 'col_moisturisers',
    handle: 'moisturisers',
    name: 'Moisturisers',
    description: 'Creams, gels and daily SPF to seal everything in.',
    productIds: [
      'prod_barrier_repair_cream',
      'prod_oil_free_gel_moisturiser',
      'prod_rich_night_cream',
      'prod_daily_mineral_spf',
    ],
  },
  {
    id: 'col_bundles',
    handle: 'bundles',
    name: 'Bundles',
    description: 'Complete routines, chosen to work together and priced for less than their parts.',
    productIds: ['prod_barrier_repair_ritual', 'prod_clear_skin_routine', 'prod_morning_glow_duo'],
  },
];
