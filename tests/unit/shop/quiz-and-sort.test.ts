import { describe, expect, it } from 'vitest';
import {
  getCollectionByHandle,
  getQuiz,
  productsInCollection,
  skinTypes,
  startingPriceCents,
} from '@/lib/shop/domain/catalog';
import { quizAnswersSchema, quizResultFromParam, recommendationsFor, scoreQuiz } from '@/lib/shop/domain/quiz';
import { parseSortParam, sortProducts } from '@/lib/shop/domain/sort';

/** Picks, for every question, the option that scores `type` highest. */
function answersFor(type: (typeof skinTypes)[number]) {
  return Object.fromEntries(
    getQuiz().questions.map((q) => {
      const best = [...q.options].sort((a, b) => (b.scores[type] ?? 0) - (a.scores[type] ?? 0))[0]!;
      return [q.id, best.id];
    }),
  );
}

// What recordQuizCompleted accepts: its Quiz Completed is the copy the pipeline keeps and the quiz follow-up reads.
describe('quiz answers from the browser', () => {
  const messages = (answers: unknown) => quizAnswersSchema.safeParse(answers).error?.issues.map((i) => i.message);

  it('accepts one offered option for every question', () => {
    for (const type of skinTypes) expect(quizAnswersSchema.parse(answersFor(type))).toEqual(answersFor(type));
  });

  it('refuses skipped questions: no answers would score as the first skin type', () => {
    expect(messages({})).toEqual(getQuiz().questions.map(() => 'Answer every question of the quiz.'));
    const skippedLast: Record<string, string> = answersFor('oily');
    delete skippedLast.goal;
    expect(messages(skippedLast)).toEqual(['Answer every question of the quiz.']);
  });

  it('refuses options, questions and shapes the quiz does not have', () => {
    const unreadable = ['Your quiz answers could not be read. Take the quiz again.'];
    expect(messages({ ...answersFor('dry'), goal: '<b>free text</b>' })).toEqual(unreadable);
    expect(messages({ ...answersFor('dry'), 'shoe-size': '42' })).toEqual(unreadable);
    expect(messages({ ...answersFor('dry'), goal: ['calm'] })).toEqual(unreadable);
    expect(messages(null)).toEqual(unreadable);
    expect(messages([])).toEqual(unreadable);
  });
});

describe('skin quiz scoring', () => {
  it.each(skinTypes)('answers leaning %s give that result', (type) => {
    expect(scoreQuiz(answersFor(type))).toBe(type);
  });

  it('lets a strongly sensitive answer outweigh a single oily one', () => {
    expect(
      scoreQuiz({ 'after-cleansing': 'stinging', midday: 'oil', 'new-products': 'irritation', goal: 'calm' }),
    ).toBe('sensitive');
  });

  it('ignores unknown answers and still returns a result', () => {
    // Nothing scores, so every type ties at 0 and the first listed type wins (the documented tie rule).
    expect(scoreQuiz({ 'after-cleansing': 'nope', bogus: 'x' })).toBe(skinTypes[0]);
  });

  it('resolves recommendations to catalogue products and variants', () => {
    const recs = recommendationsFor('oily');
    expect(recs.map((r) => r.variant.sku)).toEqual(getQuiz().results.oily.recommendedSkus);
    expect(recs[0]!.product.handle).toBe('clarifying-foam-cleanser');
  });

  it('reads the result back from the URL, and nothing else', () => {
    for (const type of skinTypes) expect(quizResultFromParam(type)).toBe(type);
    for (const bad of [null, undefined, '', 'DRY', 'oily ', 'normal']) expect(quizResultFromParam(bad)).toBeNull();
  });
});

describe('collection sorting', () => {
  const serums = productsInCollection(getCollectionByHandle('serums')!);

  it('sorts by starting price both ways', () => {
    const asc = sortProducts(serums, 'price-asc').map(startingPriceCents);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(sortProducts(serums, 'price-desc').map(startingPriceCents)).toEqual([...asc].reverse());
  });

  it('sorts by name and keeps the featured order by default', () => {
    const names = sortProducts(serums, 'name').map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(sortProducts(serums, 'featured')).toEqual(serums);
  });

  it('falls back to featured for a missing or unknown sort param', () => {
    expect(parseSortParam('price-asc')).toBe('price-asc');
    expect(parseSortParam(undefined)).toBe('featured');
    expect(parseSortParam('cheapest')).toBe('featured');
    expect(parseSortParam(['name', 'name'])).toBe('featured');
  });
});
