'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { Quiz, SkinType } from '@/lib/shop/domain/catalog';
import { quizResultFromParam, type QuizAnswers, type Recommendation } from '@/lib/shop/domain/quiz-scoring';
import { trackQuizCompleted } from '@/lib/shop/client/quiz-tracking';
import { track } from '@/lib/tracking/browser';
import { QuizQuestion } from './quiz-question';
import { QuizResult } from './quiz-result';

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
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    // Not on first render: only a step change should pull focus away from where the shopper is.
    if (moved.current) headingRef.current?.focus();
    moved.current = true;
  }, [step, result]);

  function start() {
    track('Quiz Started', { quiz_id: quiz.id });
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
    setAnswers({});
    setStep(INTRO);
    window.history.pushState(null, '', window.location.pathname);
  }

  if (result)
    return (
      <QuizResult
        result={quiz.results[result]}
        recommendations={routines[result]}
        headingRef={headingRef}
        onRestart={restart}
      />
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
