import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInJourneys } from '@/lib/cdp/engine/journeys';
import { composeMessage } from '@/lib/cdp/runtime/compose-message';
import { resetEnvCache } from '@/lib/env';
import { verifyRestoreToken } from '@/lib/shop/server/restore-token';
import { addToCart, at, identify, simulate, profile, T0 } from '../support/engine-fixtures';

const saved = process.env.APP_SECRET;
beforeAll(() => {
  process.env.APP_SECRET = 'compose-test-secret-0123456789';
  resetEnvCache();
});
afterAll(() => {
  if (saved === undefined) delete process.env.APP_SECRET;
  else process.env.APP_SECRET = saved;
  resetEnvCache();
});

describe('composeMessage', () => {
  it('turns a live cart recovery into an email whose restore link rebuilds that exact cart', () => {
    const events = [
      identify(at('-1d'), { email: 'ada@example.com', first_name: 'Ada' }),
      addToCart(T0, [
        ['GL-SERUM-30', 2],
        ['GL-CREAM-50', 1],
      ]),
    ];
    const { messages } = simulate(builtInJourneys, () => profile(events), [T0, at('1h')], 'event');
    expect(messages).toHaveLength(1);
    const sendTime = at('1h');
    const email = composeMessage(messages[0]!, { appUrl: 'https://shop.test', now: sendTime });

    expect(email).toMatchObject({
      to: 'ada@example.com',
      journeyId: 'cart-recovery-event',
      subject: 'Ada, your Glowlab cart is waiting',
    });
    expect(email.html).toContain('src="https://shop.test/images/products/glow-serum.svg"');
    const token = email.restoreUrl?.replace('https://shop.test/cart/restore/', '') ?? '';
    expect(email.html).toContain(`href="https://shop.test/cart/restore/${token}"`);
    expect(email.text).toContain(email.restoreUrl);

    const verified = verifyRestoreToken(token, sendTime);
    expect(verified).toEqual({
      ok: true,
      lines: [
        { sku: 'GL-SERUM-30', variantId: 'glow-serum-30ml', quantity: 2 },
        { sku: 'GL-CREAM-50', variantId: 'barrier-cream-50ml', quantity: 1 },
      ],
      expiresAt: at('169h'), // sent at T0+1h, valid 7 days from the pipeline clock
    });
  });
});
