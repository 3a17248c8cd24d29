import { describe, expect, it } from 'vitest';
import { EVENT } from '@/lib/cdp/model/event';
import {
  builtInSegments,
  evaluateSegment,
  explainSegment,
  findSegment,
  type SegmentDefinition,
} from '@/lib/cdp/engine/segments';
import { addToCart, at, identify, order, productViewed, profile, T0, track } from '../support/engine-fixtures';

const segment = (id: string): SegmentDefinition => {
  const found = findSegment(id);
  if (!found) throw new Error(`missing built-in segment ${id}`);
  return found;
};
const email = { email: 'ada@example.com' };

describe('built-in segments', () => {
  it('load validated, with unique ids', () => {
    expect(builtInSegments.map((s) => s.id)).toEqual(['cart-abandoners', 'browse-abandoners', 'quiz-no-purchase']);
  });

  describe('cart abandoners', () => {
    const cartAbandoners = segment('cart-abandoners');

    it('a stitched anonymous cart counts from the identify that attached it, not before', () => {
      // Anonymous add at T0−2h, attached to Ada by her identify at T0.
      const events = [addToCart(at('-2h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }), identify(T0, email)];
      const ada = profile(events);
      expect(evaluateSegment(cartAbandoners, ada, at('0ms', -1))).toBe(false);
      expect(evaluateSegment(cartAbandoners, ada, T0)).toBe(true);
      // The window still runs on when it happened: 4 h after the add, inclusive.
      expect(evaluateSegment(cartAbandoners, ada, at('2h'))).toBe(true);
      expect(evaluateSegment(cartAbandoners, ada, at('2h', 1))).toBe(false);
    });

    it('needs an email and no order since the add', () => {
      const add = addToCart(at('-1h'), [['GL-SERUM-30', 1]]);
      expect(evaluateSegment(cartAbandoners, profile([add]), T0)).toBe(false);
      expect(explainSegment(cartAbandoners, profile([add]), T0).failed.map((f) => f.label)).toEqual(['has email']);
      expect(evaluateSegment(cartAbandoners, profile([identify(at('-2h'), email), add, order(at('-30m'))]), T0)).toBe(
        false,
      );
    });
  });

  describe('browse abandoners', () => {
    const browse = segment('browse-abandoners');

    it('needs 2 views within 24 h (inclusive) and no add since', () => {
      const known = identify(at('-30h'), email);
      const views = [productViewed(at('-24h'), 'GL-SERUM-30'), productViewed(at('-2h'), 'GL-CREAM-50')];
      expect(evaluateSegment(browse, profile([known, ...views]), T0)).toBe(true);
      expect(evaluateSegment(browse, profile([known, ...views]), at('0ms', 1))).toBe(false);
      expect(evaluateSegment(browse, profile([known, ...views, addToCart(at('-1h'), [['GL-CREAM-50', 1]])]), T0)).toBe(
        false,
      );
    });
  });

  describe("quiz takers who haven't bought", () => {
    const quiz = segment('quiz-no-purchase');

    it('from the quiz until 24 h later, unless they order', () => {
      const taken = track(EVENT.quizCompleted, at('-24h'), { quiz_id: 'skin', result: 'dry' });
      expect(evaluateSegment(quiz, profile([taken]), T0)).toBe(true);
      expect(evaluateSegment(quiz, profile([taken]), at('0ms', 1))).toBe(false);
      expect(evaluateSegment(quiz, profile([taken, order(at('-23h'))]), T0)).toBe(false);
      expect(evaluateSegment(quiz, profile([order(at('-25h')), taken]), T0)).toBe(true);
    });
  });
});
