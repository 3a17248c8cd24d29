'use client';

import { recordQuizCompleted } from '@/lib/shop/actions/browsing';
import type { Quiz } from '@/lib/shop/domain/catalog';
import { scoreQuizWith, type QuizAnswers } from '@/lib/shop/domain/quiz-scoring';
import { track } from '@/lib/tracking/browser';
import { mirrorOnServer } from './mirror';

// Apart from ./tracking.ts so that only the quiz page loads the quiz code (the email popup on every page imports that).

/**
 * The quiz (as the quiz page got it from the server) finished: tracks the result (the server scores the answers
 * again for its copy) and returns it.
 */
export function trackQuizCompleted(quiz: Quiz, answers: QuizAnswers) {
  const result = scoreQuizWith(quiz, answers);
  const recommended = quiz.results[result].recommendedSkus;
  const messageId = track('Quiz Completed', { quiz_id: quiz.id, answers, result, recommended_skus: recommended });
  mirrorOnServer((ageMs) => recordQuizCompleted({ answers, messageId, ageMs }));
  return result;
}
