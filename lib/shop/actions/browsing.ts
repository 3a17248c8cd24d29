'use server';

import { z } from 'zod';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { findVariantBySku, getQuiz } from '@/lib/shop/domain/catalog';
import { mirrorFields } from '@/lib/shop/domain/fields';
import { quizAnswersSchema, scoreQuiz } from '@/lib/shop/domain/quiz';
import { productViewedProps } from '@/lib/shop/domain/tracking-items';
import { happenedAt, serverTracker, trackingOrigin } from '@/lib/shop/server/tracking';

/**
 * Server copies of the browsing events a message shows (browse recovery shows the viewed product, the quiz
 * follow-up the result). Built here from the catalogue and the quiz, never from what the browser sent, and
 * mirrored with the browser's messageId: the pipeline keeps the server's copy, and only such a copy may put a
 * name, a price or a link into an email.
 */

const productViewSchema = z.object({ sku: z.string().min(1).max(64), ...mirrorFields });

export const recordProductView = validatedAction(productViewSchema, async ({ sku, messageId, ageMs }) => {
  const found = findVariantBySku(sku);
  if (!found) return failure('That product is not sold here.');
  const props = productViewedProps(found.product, found.variant, trackingOrigin());
  await serverTracker().mirror('Product Viewed', props, { messageId, timestamp: happenedAt(ageMs) });
  return { ok: true };
});

const quizSchema = z.object({ answers: quizAnswersSchema, ...mirrorFields });

/** The result and recommendations are scored again here from the answers (an option for every question). */
export const recordQuizCompleted = validatedAction(quizSchema, async ({ answers, messageId, ageMs }) => {
  const quiz = getQuiz();
  const result = scoreQuiz(answers);
  const props = { quiz_id: quiz.id, answers, result, recommended_skus: quiz.results[result].recommendedSkus };
  await serverTracker().mirror('Quiz Completed', props, { messageId, timestamp: happenedAt(ageMs) });
  return { ok: true };
});
