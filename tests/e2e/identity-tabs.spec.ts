import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { sharedDevice } from './support/accounts';
import { waitForPerson } from './support/tracking';

// Several tabs of one browser share the SDK's storage; each tab's SDK also holds the user in memory, and forgets them
// when another tab does (lib/tracking/sdk.ts `followOtherTabs`). Asserted on the wire: the user id each call carries.

/** The user id of the page call the browser SDK sends from `page` for `path`, once `go` has navigated there. */
async function pageCallUser(page: Page, path: string, go: () => Promise<unknown>) {
  const sent = page.waitForRequest(
    (r) => r.url().endsWith('/api/cdp/v1/p') && (r.postData() ?? '').includes(`"path":"${path}"`),
  );
  await go();
  return (JSON.parse((await sent).postData()!) as { userId?: string | null }).userId ?? null;
}

const storedUser = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('ajs_user_id') ?? 'null') as string | null);

// Identifying another customer resets first (their user id goes, then the new one is stored): the other tabs see the
// first customer forgotten and forget them too, and a tab that did so after the new customer was stored wrote "no
// user" over them, in every tab: the new customer's calls went out anonymous until a page load identified them again.
test('signing in as B in one tab while another tab holds A: every tab goes on as B, none forgets B', async ({
  browser,
  request,
  baseURL,
}) => {
  const {
    emailA,
    personB,
    device,
    loginTab,
    page: first,
    fillLoginAsB,
  } = await sharedDevice(browser, request, baseURL!, 'tab');
  const personA = await waitForPerson(request, emailA);
  await expect.poll(() => storedUser(loginTab)).toBe(personA.id);

  await fillLoginAsB();
  // The tab A signed in from is busy (as a tab in the background can be slow): it hears A forgotten once B is stored.
  const busy = first.evaluate(() => {
    const until = Date.now() + 4000;
    while (Date.now() < until);
  });
  const afterLogin = pageCallUser(loginTab, '/account', () => loginTab.getByRole('button', { name: 'Log in' }).click());
  expect(await afterLogin).toBe(personB.id);
  await expect(loginTab).toHaveURL(/\/account$/);
  await busy;
  // The tab A signed in from follows the switch (storage is shared), and no tab forgets B afterwards.
  expect(await pageCallUser(first, '/collections', () => first.goto('/collections'))).toBe(personB.id);
  expect(await pageCallUser(loginTab, '/quiz', () => loginTab.goto('/quiz'))).toBe(personB.id);
  expect([await storedUser(first), await storedUser(loginTab)]).toEqual([personB.id, personB.id]);
  await device.close();
});
