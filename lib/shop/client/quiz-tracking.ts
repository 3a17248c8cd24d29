'use client';

import { recordQuizCompleted } from '@/lib/shop/actions/browsing';
import { getQuiz } from '@/lib/shop/domain/catalog';
import { scoreQuiz, type QuizAnswers } from '@/lib/shop/domain/quiz';
import { track } from '@/lib/tracking/browser';

// Apart from ./tracking.ts so that only the quiz page loads the quiz (the email popup on every page imports that).

/** The quiz finished: tracks the result (the server scores the answers again for its copy) and returns it. */
export function trackQuizCompleted(answers: QuizAnswers) {
  const quiz = getQuiz();
  const result = scoreQuiz(answers);
  const recommended = quiz.results[result].recommendedSkus;
  const messageId = track('Quiz Completed', { quiz_id: quiz.id, answers, result, recommended_skus: recommended });
  void recordQuizCompleted({ answers, messageId }).catch(() => undefined);
  return result;
}
