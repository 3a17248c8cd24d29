import { z } from 'zod';
import type { EventProps } from '@/lib/tracking/plan';
import { CURRENCY, findVariantBySku, getQuiz, skinTypes, type SkinType } from './catalog';
import { planItem } from './plan-items';
import { scoreQuizWith, type QuizAnswers, type Recommendation } from './quiz-scoring';

export { quizResultFromParam, type QuizAnswers, type Recommendation } from './quiz-scoring';

/** The catalogue's quiz scored (ties go to the type listed first in `skinTypes`; unknown ids are ignored). */
export function scoreQuiz(answers: QuizAnswers): SkinType {
  return scoreQuizWith(getQuiz(), answers);
}

/** A result's recommended SKUs found in the catalogue, in routine order (a SKU no longer sold is left out). */
function routineVariants(type: SkinType) {
  return getQuiz().results[type].recommendedSkus.flatMap((sku) => findVariantBySku(sku) ?? []);
}

/** The products a result recommends, in routine order, resolved from the catalogue: what its page shows of them. */
export function recommendationsFor(type: SkinType): Recommendation[] {
  return routineVariants(type).map(({ product, variant }) => ({
    product: { handle: product.handle, name: product.name, category: product.category, image: product.image },
    variant: { id: variant.id, sku: variant.sku, name: variant.name, priceCents: variant.priceCents },
  }));
}

/** The result ids a shopper may ask the routine of ("Send me my routine"): the catalogue's skin types, nothing else. */
export const quizResultSchema = z.enum(skinTypes, {
  error: 'That quiz result is not one we know. Take the quiz again.',
});

/**
 * Quiz Routine Requested for a result, built on the server from the catalogue (names, prices, links; one of each
 * product, as "Add the whole routine to cart" adds): the routine email shows exactly this.
 */
export function routineRequestedProps(type: SkinType, origin: string): EventProps<'Quiz Routine Requested'> {
  const quiz = getQuiz();
  const items = routineVariants(type).map(({ product, variant }) =>
    planItem(
      {
        sku: variant.sku,
        variantId: variant.id,
        productId: product.id,
        name: product.name,
        variantName: variant.name,
        quantity: 1,
        unitPriceCents: variant.priceCents,
      },
      origin,
      product,
    ),
  );
  return {
    quiz_id: quiz.id,
    result: type,
    result_name: quiz.results[type].title,
    result_url: new URL(`/quiz?result=${type}`, origin).toString(),
    items,
    currency: CURRENCY,
  };
}

const UNREADABLE = 'Your quiz answers could not be read. Take the quiz again.';

/**
 * The answers a finished quiz sends the server (user input): one of its options for every question, nothing else.
 * The server's Quiz Completed is the copy the pipeline trusts and the quiz follow-up starts from, so it must not
 * record a result nobody chose (no answers at all score as the first skin type) or text nobody was offered.
 */
export const quizAnswersSchema = z.strictObject(
  Object.fromEntries(
    getQuiz().questions.map((q) => [
      q.id,
      z.enum(
        q.options.map((o) => o.id),
        { error: (issue) => (issue.input === undefined ? 'Answer every question of the quiz.' : UNREADABLE) },
      ),
    ]),
  ),
  { error: UNREADABLE },
);
