import type { Product, Quiz, SkinType, Variant } from './catalog';
import { isSkinType, skinTypes } from './catalog/skin-types';

// The quiz's rules on a quiz handed to them, apart from ./quiz.ts (bound to the catalogue): the quiz page gets its
// quiz and routines as props from the server, so the browser does not load the catalogue for them.

/** Answers keyed by question id → option id. */
export type QuizAnswers = Record<string, string>;

/**
 * Totals each skin type's points over the chosen options. Ties go to the type listed first in
 * `skinTypes`, so the same answers always give the same result. Unknown ids are ignored.
 */
export function scoreQuizWith(quiz: Pick<Quiz, 'questions'>, answers: QuizAnswers): SkinType {
  const totals = new Map<SkinType, number>(skinTypes.map((t) => [t, 0]));
  for (const question of quiz.questions) {
    const option = question.options.find((o) => o.id === answers[question.id]);
    for (const type of skinTypes) totals.set(type, totals.get(type)! + (option?.scores[type] ?? 0));
  }
  return skinTypes.reduce((best, t) => (totals.get(t)! > totals.get(best)! ? t : best), skinTypes[0]);
}

/** A product a result recommends, with what the result page shows of it. */
export type Recommendation = {
  product: Pick<Product, 'handle' | 'name' | 'category' | 'image'>;
  variant: Pick<Variant, 'id' | 'sku' | 'name' | 'priceCents'>;
};

/** `?result=` of the quiz page (user input): a skin type, or null for anything else (then the quiz starts over). */
export function quizResultFromParam(raw: string | null | undefined): SkinType | null {
  return isSkinType(raw) ? raw : null;
}
