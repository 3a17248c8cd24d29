/** The skin types products suit: a plain list (no zod), used by client components' filters and the quiz. */
export const skinTypes = ['dry', 'oily', 'combination', 'sensitive'] as const;
export type SkinTypeName = (typeof skinTypes)[number];

export const isSkinType = (value: unknown): value is SkinTypeName => (skinTypes as readonly unknown[]).includes(value);
