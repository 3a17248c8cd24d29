'use client';

import { useEffect, useRef, useState } from 'react';
import { getQuiz } from '@/lib/shop/domain/catalog';
import { scoreQuiz, type QuizAnswers } from '@/lib/shop/domain/quiz';
import { trackQuizCompleted } from '@/lib/shop/client/tracking';
import { track } from '@/lib/tracking/browser';
import { QuizQuestion } from './quiz-question';
import { QuizResult } from './quiz-result';

const quiz = getQuiz();
const total = quiz.questions.length;
const INTRO = -1;
const RESULT = total;

/** The skin quiz: intro → one question per step → result. Focus moves to each new step's heading. */
export function SkinQuiz() {
  const [step, setStep] = useState(INTRO);
  const [answers, setAnswers] = useState<QuizAnswers>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    // Not on first render: only a step change should pull focus away from where the shopper is.
    if (moved.current) headingRef.current?.focus();
    moved.current = true;
  }, [step]);

  function start() {
    track('Quiz Started', { quiz_id: quiz.id });
    setStep(0);
  }

  function next() {
    if (step + 1 === RESULT) trackQuizCompleted(answers);
    setStep(step + 1);
  }

  function restart() {
    setAnswers({});
    setStep(INTRO);
  }

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

  if (step === RESULT) {
    return <QuizResult skinType={scoreQuiz(answers)} headingRef={headingRef} onRestart={restart} />;
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
