import { describe, expect, it } from 'vitest';
import { createSourceMiddleware, type SdkEvent } from '@/lib/tracking/middleware';
import { REDACTED, redactUrl } from '@/lib/tracking/private-urls';
import { SHOP_PRIVATE_URLS } from '@/lib/shop/domain/private-urls';

const rules = SHOP_PRIVATE_URLS;

describe('redactUrl', () => {
  it("replaces an order link's signature, wherever it stands, and keeps everything else as written", () => {
    expect(redactUrl('https://shop.test/orders/ord_1?sig=abc-DEF_1', rules)).toBe(
      `https://shop.test/orders/ord_1?sig=${REDACTED}`,
    );
    expect(redactUrl('/orders/ord_1?utm_source=mail&sig=abc&x=a%20b#top', rules)).toBe(
      `/orders/ord_1?utm_source=mail&sig=${REDACTED}&x=a%20b#top`,
    );
    expect(redactUrl('?sig=abc', rules)).toBe(`?sig=${REDACTED}`);
    // Repeated, or with its name percent-encoded: the server reads either.
    expect(redactUrl('/orders/o?sig=a&sig=b&s%69g=c', rules)).toBe(
      `/orders/o?sig=${REDACTED}&sig=${REDACTED}&s%69g=${REDACTED}`,
    );
  });

  it("replaces an unsubscribe link's token, typed encoded or not", () => {
    expect(redactUrl('http://localhost:3000/unsubscribe/eyJwIjoi.c2ln', rules)).toBe(
      `http://localhost:3000/unsubscribe/${REDACTED}`,
    );
    expect(redactUrl('/unsub%73cribe/eyJwIjoi.c2ln/?a=1', rules)).toBe(`/unsubscribe/${REDACTED}/?a=1`);
  });

  // `.` took no line break: the match failed (quadratic backtracking first) and the URL was sent unredacted.
  it('redacts a URL whose fragment holds a line break like any other, however long', () => {
    expect(redactUrl('/orders/ord_1?sig=abc#a\nb', rules)).toBe(`/orders/ord_1?sig=${REDACTED}#a\nb`);
    expect(redactUrl('https://shop.test/unsubscribe/tok.en#\r\n', rules)).toBe(
      `https://shop.test/unsubscribe/${REDACTED}#\r\n`,
    );
    const long = `/orders/ord_1?sig=abc&${'x'.repeat(32_000)}#\n`;
    expect(redactUrl(long, rules)).toBe(long.replace('sig=abc', `sig=${REDACTED}`));
  });

  it('leaves addresses with no secret alone, cart-restore links and look-alike names included', () => {
    for (const url of [
      'https://shop.test/products/niacinamide-serum?variant=var_1',
      '/cart/restore/eyJsIjpbXX0.c2ln',
      '/search?q=sig%3Dabc&signature=1&xsig=2',
      '/unsubscribe',
      '',
      'not a url at all',
    ])
      expect(redactUrl(url, rules)).toBe(url);
  });
});

describe('the source middleware with private URLs', () => {
  const run = (obj: SdkEvent) => {
    let sent: SdkEvent | undefined;
    createSourceMiddleware({ isStopped: () => false, strict: true, privateUrls: rules })({
      payload: { obj },
      next: ({ obj: out }) => (sent = out),
    });
    return sent;
  };
  const orderPage = {
    path: '/orders/ord_1',
    search: '?sig=secret',
    url: 'https://shop.test/orders/ord_1?sig=secret',
    referrer: 'https://shop.test/unsubscribe/tok.en',
    title: 'Order confirmation',
  };

  it("takes the secrets out of a page call's properties and its context", () => {
    const sent = run({
      type: 'page',
      name: 'Orders',
      properties: { ...orderPage, name: 'Orders' },
      context: { page: { ...orderPage } },
    });
    const clean = {
      path: '/orders/ord_1',
      search: `?sig=${REDACTED}`,
      url: `https://shop.test/orders/ord_1?sig=${REDACTED}`,
      referrer: `https://shop.test/unsubscribe/${REDACTED}`,
      title: 'Order confirmation',
    };
    expect(sent?.properties).toMatchObject(clean);
    expect(sent?.context?.page).toEqual(clean);
    expect(JSON.stringify(sent)).not.toMatch(/secret|tok\.en/);
  });

  it("cleans a track call's page context, not its own properties", () => {
    const sent = run({
      type: 'track',
      event: 'Quiz Started',
      properties: { quiz_id: 'skin-v1' },
      context: { page: { ...orderPage } },
    });
    expect(sent?.context?.page).toMatchObject({ url: `https://shop.test/orders/ord_1?sig=${REDACTED}` });
    expect(sent?.properties).toEqual({ quiz_id: 'skin-v1', schema_version: 1 });
  });
});

describe('private URLs in the browser config', () => {
  it('travel in the config built for the SDK, and a config naming them wrongly is refused', async () => {
    const { browserTrackingConfig, parseBrowserTrackingConfig } = await import('@/lib/tracking/config');
    const base = { origin: 'https://shop.test', writeKey: 'k', consentMode: 'opt-out' as const, strict: true };
    expect(browserTrackingConfig({ ...base, privateUrls: rules }).privateUrls).toEqual(rules);
    expect(browserTrackingConfig(base)).not.toHaveProperty('privateUrls');
    const config = browserTrackingConfig(base);
    expect(() => parseBrowserTrackingConfig({ ...config, privateUrls: { queryParams: 'sig' } })).toThrow(/privateUrls/);
  });
});
