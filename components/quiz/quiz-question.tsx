'use client';

import { useState, type Ref } from 'react';
import type { Quiz } from '@/lib/shop/domain/catalog';

type Props = {
  question: Quiz['questions'][number];
  index: number;
  total: number;
  answer: string | undefined;
  headingRef: Ref<HTMLHeadingElement>;
  onAnswer(optionId: string): void;
  onBack(): void;
  onNext(): void;
};

/**
 * One quiz step: progress, a labelled radio group, and back/next. Next asks for an answer instead of being
 * disabled.
 */
export function QuizQuestion({ question, index, total, answer, headingRef, onAnswer, onBack, onNext }: Props) {
  const [missing, setMissing] = useState(false);
  const headingId = `quiz-q-${question.id}`;
  const last = index === total - 1;

  return (
    <form
      className="flex flex-col gap-8"
      onSubmit={(e) => {
        e.preventDefault();
        if (answer) onNext();
        else setMissing(true);
      }}
    >
      <div>
        <div className="flex justify-between text-sm text-stone-500">
          <span id="quiz-progress-label">
            Question {index + 1} of {total}
          </span>
        </div>
        <div
          role="progressbar"
          aria-labelledby="quiz-progress-label"
          aria-valuemin={1}
          aria-valuemax={total}
          aria-valuenow={index + 1}
          aria-valuetext={`Question ${index + 1} of ${total}`}
          className="mt-2 h-2 overflow-hidden rounded-full bg-stone-200"
        >
          <div
            className="h-full rounded-full bg-brand transition-all"
            style={{ width: `${((index + 1) / total) * 100}%` }}
          />
        </div>
      </div>

      <h2
        id={headingId}
        ref={headingRef}
        tabIndex={-1}
        className="text-2xl font-semibold tracking-tight focus:outline-none sm:text-3xl"
      >
        {question.prompt}
      </h2>

      <div
        role="radiogroup"
        aria-labelledby={headingId}
        aria-describedby={missing ? 'quiz-missing' : undefined}
        className="grid gap-3 sm:grid-cols-2"
      >
        {question.options.map((o) => (
          <label
            key={o.id}
            className="flex cursor-pointer items-center gap-3 rounded-2xl border border-stone-300 bg-white p-4 has-[:checked]:border-brand has-[:checked]:ring-2 has-[:checked]:ring-brand/30"
          >
            <input
              type="radio"
              name={question.id}
              value={o.id}
              checked={answer === o.id}
              onChange={() => {
                setMissing(false);
                onAnswer(o.id);
              }}
              className="h-4 w-4 accent-brand"
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {missing && (
        <p id="quiz-missing" role="alert" className="-mt-4 text-sm text-red-700">
          Choose an answer to continue.
        </p>
      )}

      <div className="flex justify-between gap-3">
        <button type="button" onClick={onBack} className="btn-secondary">
          Back
        </button>
        <button type="submit" className="btn-primary">
          {last ? 'See my routine' : 'Next'}
        </button>
      </div>
    </form>
  );
}
