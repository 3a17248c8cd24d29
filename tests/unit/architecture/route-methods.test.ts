import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowHeader, HTTP_METHODS, type HttpMethod } from '@/lib/common/http-methods';

// RFC 9110 §15.5.6: every 405 names the allowed methods. Next answers a method a route does not export with a bare
// 405 (and its automatic OPTIONS lists every export), so each route under app/api must export a handler for every
// method, the ones it does not serve from otherMethods(); what they answer must name exactly the ones it serves.
const routes = readdirSync('app/api', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('route.ts'))
  .map((f) => `app/api/${f}`)
  .sort();

type Handler = ((request: Request) => Response | Promise<Response>) & { allow?: string };

describe.each(routes)('%s', (file) => {
  it('leaves no method to Next, and its 405s and OPTIONS name exactly the methods it serves', async () => {
    const mod = (await import(/* @vite-ignore */ `../../../${file}`)) as Partial<Record<HttpMethod, Handler>>;
    const exported = HTTP_METHODS.filter((m) => typeof mod[m] === 'function');
    const served = exported.filter((m) => mod[m]!.allow === undefined);
    const refused = exported.filter((m) => mod[m]!.allow !== undefined);
    // Next answers HEAD with GET's handler, and a route that refuses nothing may leave OPTIONS to Next (it is true).
    const leftToNext = HTTP_METHODS.filter((m) => !exported.includes(m));
    const nextMayAnswer = (m: HttpMethod) =>
      (m === 'HEAD' && served.includes('GET')) || (m === 'OPTIONS' && refused.length === 0);
    expect(leftToNext.filter((m) => !nextMayAnswer(m))).toEqual([]);

    const allow = allowHeader(served);
    for (const method of refused) {
      const response = await mod[method]!(new Request(`http://shop.test/${file}`, { method }));
      expect([method, response.status, response.headers.get('Allow')]).toEqual([
        method,
        method === 'OPTIONS' ? 204 : 405,
        allow,
      ]);
    }
  });
});

it('finds the routes', () => {
  expect(routes.length).toBeGreaterThan(15);
});
