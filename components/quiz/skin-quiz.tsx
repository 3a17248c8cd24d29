'use client';

import { useSearchParams } from 'next/navigation';
import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import type { Quiz, SkinType } from '@/lib/shop/domain/catalog';
import { quizResultFromParam, type QuizAnswers, type Recommendation } from '@/lib/shop/domain/quiz-scoring';
import { trackQuizCompleted } from '@/lib/shop/client/quiz-tracking';
import { track } from '@/lib/tracking/browser';
import { QuizQuestion } from './quiz-question';

// The result, with its add-to-cart buttons and email form, loads when it is shown (after the last answer, or for a
// /quiz?result= URL), not in the quiz page's first load; starting the quiz fetches it ahead.
const loadResult = () => import('./quiz-result');
const QuizResult = lazy(() => loadResult().then((m) => ({ default: m.QuizResult })));

const INTRO = -1;

type Props = {
  /** The quiz, from the server page (the catalogue's). */
  quiz: Quiz;
  /** Each result's routine, resolved from the catalogue by the server page. */
  routines: Record<SkinType, Recommendation[]>;
};

/**
 * The skin quiz: intro → one question per step → result. The result lives in the URL (`/quiz?result=dry`,
 * pushed), so it survives a reload and can be shared, and Back from it returns to the last question with the
 * answers kept. Focus moves to each new step's heading.
 */
export function SkinQuiz({ quiz, routines }: Props) {
  const total = quiz.questions.length;
  const result = quizResultFromParam(useSearchParams().get('result'));
  const [step, setStep] = useState(INTRO);
  const [answers, setAnswers] = useState<QuizAnswers>({});
  // Each new step's heading takes focus as it appears, but not before the shopper starts: only a step change should
  // pull focus away from where they are. A callback ref: the result's heading appears once its code has loaded.
  const moved = useRef(false);
  const headingRef = useCallback((heading: HTMLHeadingElement | null) => {
    if (heading && moved.current) heading.focus();
  }, []);

  function start() {
    track('Quiz Started', { quiz_id: quiz.id });
    void loadResult();
    moved.current = true;
    setStep(0);
  }

  function next() {
    if (step + 1 < total) {
      setStep(step + 1);
      return;
    }
    // Tracked and mirrored by the server (trackQuizCompleted); the result goes in the URL.
    const scored = trackQuizCompleted(quiz, answers);
    // Next.js keeps useSearchParams in step with the History API: this re-renders with the result.
    window.history.pushState(null, '', `?result=${scored}`);
  }

  function restart() {
    moved.current = true;
    setAnswers({});
    setStep(INTRO);
    window.history.pushState(null, '', window.location.pathname);
  }

  if (result)
    return (
      <Suspense fallback={<p className="text-stone-600">Loading your routine…</p>}>
        <QuizResult
          type={result}
          result={quiz.results[result]}
          recommendations={routines[result]}
          headingRef={headingRef}
          onRestart={restart}
        />
      </Suspense>
    );

  if (step === INTRO) {
    return (
      <div className="flex flex-col items-start gap-6">
        <h2 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold tracking-tight focus:outline-none">
          {total} quick questions, one routine that fits
        </h2>
        <p className="max-w-xl text-stone-600">
          Tell us how your skin behaves and we&apos;ll match you with a cleanser, serum and moisturiser. It takes about
          a minute.
        </p>
        <button type="button" onClick={start} className="btn-primary">
          Start the quiz
        </button>
      </div>
    );
  }

  const question = quiz.questions[step]!;
  return (
    <QuizQuestion
      key={question.id}
      question={question}
      index={step}
      total={total}
      answer={answers[question.id]}
      headingRef={headingRef}
      onAnswer={(optionId) => setAnswers({ ...answers, [question.id]: optionId })}
      onBack={() => setStep(step - 1)}
      onNext={next}
    />
  );
}
