import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isArgumentList,
  isCrossOrigin,
  isFormArgumentList,
  MAX_ARGUMENT_DEPTH,
} from '@/lib/common/server-action-request';
import { resetEnvCache } from '@/lib/env';

// React's encoder, as the browser runs it (the package ships no types).
const { encodeReply } = createRequire(import.meta.url)('next/dist/compiled/react-server-dom-turbopack/client.edge') as {
  encodeReply: (args: unknown[]) => Promise<string | FormData>;
};

// What React's own decoder (the one Next runs before any action) makes of each body: "ok" or what it threw, which
// Next answered with a 500.
const DECODER = path.resolve(__dirname, '../support/react-reply-decoder.mjs');
type Body = string | [string, string][];
const decoded = (bodies: Body[]): string[] =>
  JSON.parse(
    execFileSync(process.execPath, ['--conditions=react-server', DECODER], {
      input: JSON.stringify(bodies),
      encoding: 'utf8',
    }),
  );

/** A multipart body as the browser sends it: its bytes and Content-Type. */
async function multipart(entries: [string, string | Blob][]) {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  const request = new Request('http://shop.test/', { method: 'POST', body: form });
  return { body: await request.arrayBuffer(), contentType: request.headers.get('content-type')! };
}

const nested = (depth: number) => '[{"a":'.repeat(depth) + '1' + '}]'.repeat(depth);

// The arguments the shop's pages send (lib/shop/client, components/), encoded by React's encodeReply.
const sent = [
  [{ lines: [{ sku: 'GL-SER-NIA-15', quantity: 1 }], country: 'US', discountCode: undefined }],
  [{ email: 'a@example.com', name: '$ Dollar', line1: '$$', lines: [], quote: { totalCents: 0, lines: [] } }],
  [{ answers: { skinType: 'dry', concerns: ['redness'] }, messageId: 'm-1', replaces: undefined }],
  [{ token: 'x.y', messageId: 'm-2' }],
  // Plain data React encodes with a `$` of its own (no action takes these, each still decodes).
  [NaN, Infinity, -Infinity, -0, new Date(0), 10n ** 40n, -5n],
];

describe('a text body', () => {
  it('goes on when it is what encodeReply makes of plain arguments, which React decodes', async () => {
    const bodies = await Promise.all(sent.map((args) => encodeReply(args) as Promise<string>));
    for (const body of bodies) expect([body, isArgumentList(body)]).toEqual([body, true]);
    expect(decoded(bodies)).toEqual(bodies.map(() => 'ok'));
  });

  it('is refused when it references anything else: each of these made React throw (Next answered 500)', () => {
    const bodies = [
      ...['$Q1', '$B1', '$S', '$1', '$h1', '$F1', '$i1', '$W1', '$AA1', '$T', '$', '$nx'].map(
        (s) => `[${JSON.stringify(s)}]`,
      ),
      '[{"lines":"$1"}]',
      '[{"lines":"$Q9"}]',
      '[{"a":{"b":1},"c":"$0:a"}]',
      `["$n${'1'.repeat(301)}"]`, // a bigint over React's 300 digits
      '['.repeat(10_000) + ']'.repeat(10_000),
      `[${JSON.stringify('$$' + 'x'.repeat(1_000_001))},1]`, // over React's array size limit
    ];
    for (const body of bodies) expect([body.slice(0, 40), isArgumentList(body)]).toEqual([body.slice(0, 40), false]);
    expect(decoded(bodies).filter((result) => result === 'ok')).toEqual([]);
  });

  it('is refused for references the shop never sends, even those React would decode', () => {
    for (const body of ['["$K1"]', '["$u"]', '["$undefinedx"]', '["$n"]', '["$@1"]', '["$R1"]', '["$Dnot a date"]'])
      expect([body, isArgumentList(body)]).toEqual([body, false]);
  });

  it(`is refused nested deeper than ${MAX_ARGUMENT_DEPTH} objects and arrays, and when it is no JSON array`, () => {
    expect(isArgumentList(nested(MAX_ARGUMENT_DEPTH / 2))).toBe(true);
    expect(isArgumentList(nested(MAX_ARGUMENT_DEPTH / 2) + ' ')).toBe(true);
    expect(isArgumentList(`[${nested(MAX_ARGUMENT_DEPTH / 2)}]`)).toBe(false);
    for (const body of ['', 'null', '"x"', '{}', '[', '$1'])
      expect([body, isArgumentList(body)]).toEqual([body, false]);
  });
});

describe('a multipart body', () => {
  it('goes on when it is a FormData argument as the sign-in, log-out and unsubscribe forms send it', async () => {
    const login = new FormData();
    login.set('email', 'a@example.com');
    login.set('password', '$ecret');
    login.set('cart', '[]');
    for (const args of [[login], [new FormData()]]) {
      const form = (await encodeReply(args)) as FormData;
      const entries = [...form.entries()] as [string, string][];
      const { body, contentType } = await multipart(entries);
      expect(await isFormArgumentList(body, contentType)).toBe(true);
      expect(decoded([entries])).toEqual(['ok']);
    }
  });

  it('is refused without the arguments, with unreadable ones, or with parts no form sends', async () => {
    const refused: [string, string | Blob][][] = [
      [['_1_email', 'a@example.com']], // no field 0: React waited for it, then threw "Connection closed"
      [['0', 'not json']],
      [['0', '{"lines":[]}']],
      [['0', '["$B1"]']],
      [
        ['0', '["$1"]'],
        ['1', '{}'],
      ],
      [
        ['0', '["$K1"]'],
        ['_1_file', new Blob(['x'])],
      ],
      [
        ['0', '[]'],
        ['0', '[]'],
      ],
    ];
    for (const entries of refused) {
      const { body, contentType } = await multipart(entries);
      expect([entries[0], await isFormArgumentList(body, contentType)]).toEqual([entries[0], false]);
    }
    const threw = [refused[0], refused[1], refused[3]] as [string, string][][];
    expect(decoded(threw).filter((result) => result === 'ok')).toEqual([]);
    // Not multipart at all, whatever the Content-Type says.
    expect(
      await isFormArgumentList(new TextEncoder().encode('--x\r\n').buffer, 'multipart/form-data; boundary=x'),
    ).toBe(false);
  });
});

describe('the Origin of a server action POST', () => {
  const cross = (h: Record<string, string>, trustedProxies = 0) => isCrossOrigin(new Headers(h), trustedProxies);

  it('is the same site when its host is the request’s Host, or it has none', () => {
    expect(cross({ host: 'shop.test', origin: 'http://shop.test' })).toBe(false);
    expect(cross({ host: 'localhost:3000', origin: 'http://localhost:3000' })).toBe(false);
    expect(cross({ host: 'shop.test' })).toBe(false);
  });

  it('is another site when its host differs, or it is `null` or no URL', () => {
    expect(cross({ host: 'shop.test', origin: 'https://evil.example' })).toBe(true);
    expect(cross({ host: 'localhost:3000', origin: 'http://localhost:3001' })).toBe(true);
    expect(cross({ host: 'shop.test', origin: 'null' })).toBe(true);
    expect(cross({ host: 'shop.test', origin: 'not a url' })).toBe(true);
  });

  // A client's own X-Forwarded-Host made its Origin the request's: `Origin: http://evil.com` passed with
  // `X-Forwarded-Host: evil.com`.
  it('believes X-Forwarded-Host only behind TRUST_PROXY, else compares with Host alone', () => {
    const forged = { host: 'shop.test', 'x-forwarded-host': 'evil.example', origin: 'http://evil.example' };
    expect(cross(forged)).toBe(true);
    expect(cross({ ...forged, origin: 'http://shop.test' })).toBe(false);
    const proxied = { host: 'internal:3000', 'x-forwarded-host': 'shop.test, a', origin: 'https://shop.test' };
    expect(cross(proxied)).toBe(true);
    for (const trusted of [1, Number.POSITIVE_INFINITY]) {
      expect(cross(proxied, trusted)).toBe(false); // its first value, as Next reads it
      expect(cross({ ...proxied, origin: 'http://internal:3000' }, trusted)).toBe(true);
      expect(cross({ ...proxied, origin: 'https://a' }, trusted)).toBe(true);
      // An empty first value is none: Host then.
      expect(cross({ ...proxied, 'x-forwarded-host': ' , shop.test', origin: 'http://internal:3000' }, trusted)).toBe(
        false,
      );
    }
  });

  it('follows TRUST_PROXY from the environment when not told', () => {
    const forged = new Headers({
      host: 'shop.test',
      'x-forwarded-host': 'evil.example',
      origin: 'http://evil.example',
    });
    const saved = process.env.TRUST_PROXY;
    try {
      delete process.env.TRUST_PROXY;
      resetEnvCache();
      expect(isCrossOrigin(forged)).toBe(true);
      process.env.TRUST_PROXY = '1';
      resetEnvCache();
      expect(isCrossOrigin(forged)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
      resetEnvCache();
    }
  });
});
