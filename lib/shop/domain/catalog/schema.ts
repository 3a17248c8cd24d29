import { z } from 'zod';
import { skinTypes } from './skin-types';

export { skinTypes, isSkinType } from './skin-types';

/** Shapes of the catalog data. The data is checked against them once, when the catalog module loads. */
const handle = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'handles are lower-case words joined by dashes');
const sku = z.string().regex(/^GL-[A-Z0-9]+(?:-[A-Z0-9]+)*$/, 'SKUs look like GL-XXX-NNN');

export const variantSchema = z.object({
  id: z.string().min(1),
  sku,
  name: z.string().min(1),
  priceCents: z.number().int().positive(),
});

export const skinTypeSchema = z.enum(skinTypes);

export const productSchema = z
  .object({
    id: z.string().min(1),
    handle,
    name: z.string().min(1),
    category: z.string().min(1),
    description: z.string().min(20),
    /** The skin types it suits, for search and the collection filter. */
    skinTypes: z.array(skinTypeSchema).min(1),
    /** Key ingredients, lower case unless a name says otherwise ("vitamin C", "zinc PCA"). */
    ingredients: z.array(z.string().min(1)).min(1).optional(),
    image: z.string().regex(/^\/products\/[a-z0-9-]+\.svg$/),
    variants: z.array(variantSchema).min(1).max(3),
    bundleOf: z.array(sku).min(2).optional(),
  })
  .refine((p) => p.image === `/products/${p.handle}.svg`, { message: 'image must be /products/<handle>.svg' })
  // A bundle's ingredients are its parts' (productIngredients), so they cannot drift apart.
  .refine((p) => (p.bundleOf === undefined) === (p.ingredients !== undefined), {
    message: "a single product lists its ingredients; a bundle lists none (it has its parts')",
  });

export const collectionSchema = z.object({
  id: z.string().min(1),
  handle,
  name: z.string().min(1),
  description: z.string().min(1),
  productIds: z.array(z.string().min(1)).min(1),
});

export const quizSchema = z.object({
  id: z.string().min(1),
  questions: z
    .array(
      z.object({
        id: z.string().min(1),
        prompt: z.string().min(1),
        options: z
          .array(
            z.object({
              id: z.string().min(1),
              label: z.string().min(1),
              // Points this answer gives each skin type; the highest total wins.
              scores: z.partialRecord(skinTypeSchema, z.number().int().positive()),
            }),
          )
          .min(2),
      }),
    )
    .min(3)
    .max(5),
  results: z.record(
    skinTypeSchema,
    z.object({ title: z.string().min(1), summary: z.string().min(1), recommendedSkus: z.array(sku).min(2) }),
  ),
});

export type Variant = z.infer<typeof variantSchema>;
export type Product = z.infer<typeof productSchema>;
export type Collection = z.infer<typeof collectionSchema>;
export type SkinType = z.infer<typeof skinTypeSchema>;
export type Quiz = z.infer<typeof quizSchema>;
