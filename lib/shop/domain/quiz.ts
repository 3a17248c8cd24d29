import { z } from 'zod';
import { findVariantBySku, getQuiz, type SkinType } from './catalog';
import { scoreQuizWith, type QuizAnswers, type Recommendation } from './quiz-scoring';

export { quizResultFromParam, type QuizAnswers, type Recommendation } from './quiz-scoring';

/** The catalogue's quiz scored (ties go to the type listed first in `skinTypes`; unknown ids are ignored). */
export function scoreQuiz(answers: QuizAnswers): SkinType {
  return scoreQuizWith(getQuiz(), answers);
}

/** The products a result recommends, in routine order, resolved from the catalogue: what its page shows of them. */
export function recommendationsFor(type: SkinType): Recommendation[] {
  return getQuiz().results[type].recommendedSkus.flatMap((sku) => {
    const found = findVariantBySku(sku);
    if (!found) return [];
    const { product, variant } = found;
    return [
      {
        product: { handle: product.handle, name: product.name, category: product.category, image: product.image },
        variant: { id: variant.id, sku: variant.sku, name: variant.name, priceCents: variant.priceCents },
      },
    ];
  });
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
