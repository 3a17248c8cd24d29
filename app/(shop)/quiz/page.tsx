import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SkinQuiz } from '@/components/quiz/skin-quiz';
import { getQuiz, skinTypes, type SkinType } from '@/lib/shop/domain/catalog';
import { recommendationsFor } from '@/lib/shop/domain/quiz';

export const metadata: Metadata = {
  title: 'Skin quiz',
  description: 'Four questions to find your skin type and the routine that suits it.',
};

export default function QuizPage() {
  // The browser gets the quiz and what each result shows, not the catalogue module.
  const routines = Object.fromEntries(skinTypes.map((type) => [type, recommendationsFor(type)])) as Record<
    SkinType,
    ReturnType<typeof recommendationsFor>
  >;
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <p className="text-sm font-semibold tracking-widest text-brand uppercase">Skin quiz</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight sm:text-4xl">Find your routine</h1>
      <div className="mt-8 rounded-3xl bg-cream">
        {/* The quiz reads ?result= in the browser; a statically rendered page shows nothing until it can. */}
        <Suspense fallback={<p className="text-stone-600">Loading the quiz…</p>}>
          <SkinQuiz quiz={getQuiz()} routines={routines} />
        </Suspense>
      </div>
    </div>
  );
}
