import { findVariantBySku, getQuiz, skinTypes, isSkinType, type Product, type SkinType, type Variant } from './catalog';

/** Answers keyed by question id → option id. */
export type QuizAnswers = Record<string, string>;

/**
 * Totals each skin type's points over the chosen options. Ties go to the type listed first in
 * `skinTypes`, so the same answers always give the same result. Unknown ids are ignored.
 */
export function scoreQuiz(answers: QuizAnswers): SkinType {
  const totals = new Map<SkinType, number>(skinTypes.map((t) => [t, 0]));
  for (const question of getQuiz().questions) {
    const option = question.options.find((o) => o.id === answers[question.id]);
    for (const type of skinTypes) totals.set(type, totals.get(type)! + (option?.scores[type] ?? 0));
  }
  return skinTypes.reduce((best, t) => (totals.get(t)! > totals.get(best)! ? t : best), skinTypes[0]);
}

export type Recommendation = { product: Product; variant: Variant };

/** The products a result recommends, in routine order, resolved from the catalogue. */
export function recommendationsFor(type: SkinType): Recommendation[] {
  return getQuiz().results[type].recommendedSkus.flatMap((sku) => findVariantBySku(sku) ?? []);
}

/** `?result=` of the quiz page (user input): a skin type, or null for anything else (then the quiz starts over). */
export function quizResultFromParam(raw: string | null | undefined): SkinType | null {
  return isSkinType(raw) ? raw : null;
}
