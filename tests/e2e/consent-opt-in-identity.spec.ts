import { expect, test } from './support/test';
import { peopleResponse } from '@/lib/cdp/ops/contract';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { signUp } from './support/accounts';
import { uniqueEmail } from './support/shop';
import { anonymousEvents, anonymousIdCookie, named, ops, shopperContext } from './support/tracking';

const serum = getProductByHandle('vitamin-c-serum')!;

// Opt-in consent: before Accept the browser has no anonymous id, so the server can sign no identify for it. One made
// then went out unsigned after Accept and was held, and the signed-in session was not identified again (the SDK held
// her user id already): everything she did after Accept stayed on an anonymous profile.
test('opt-in: signing up before Accept, the shopper is identified with a signature once she accepts', async ({
  browser,
  request,
}) => {
  const optIn = `http://127.0.0.1:${process.env.E2E_OPTIN_PORT}`;
  const email = uniqueEmail('optin-signup');
  const context = await shopperContext(browser, optIn, { consent: false });
  const page = await context.newPage();
  await signUp(page, email, 'Ada Optin');
  await expect(page).toHaveURL(/\/account$/);
  expect((await context.cookies()).filter((c) => c.name.startsWith('ajs_'))).toEqual([]);

  await page.getByRole('region', { name: 'Privacy choices' }).getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => anonymousIdCookie(context)).toMatch(/^[0-9a-f-]{36}$/);
  const anonymousId = (await anonymousIdCookie(context))!;
  const profile = () => anonymousEvents(request, anonymousId, optIn);
  const people = async () =>
    (await ops(request, `people?email=${encodeURIComponent(email)}`, peopleResponse, optIn)).people;
  // The browser's identify, signed for the id the SDK set at Accept, makes her and links this browser to her.
  await expect.poll(async () => (await people()).length).toBe(1);
  const [person] = await people();
  await expect.poll(async () => (await profile()).person_id).toBe(person!.id);

  await page.goto(`/products/${serum.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(async () => named((await profile()).events, 'Added to Cart')).toHaveLength(1);
  const { events } = await profile();
  // Nothing held or doubted: her identify was applied, and Signed Up (made before Accept, sent at it) is hers.
  expect(events.filter((e) => e.violations.length > 0)).toEqual([]);
  expect(events.filter((e) => e.type === 'identify' && e.sources.includes('client'))).toHaveLength(1);
  expect(named(events, 'Signed Up')).toHaveLength(1);
  await context.close();
});
