import { env } from '@/lib/env';

type HeaderReader = { get(name: string): string | null };

/**
 * The one decision for a cookie's `Secure` flag, used by every cookie the app sets (session, ops console,
 * acquisition, anonymous id): the shop's public origin (APP_URL) is https, or this request came over https,
 * directly or through a proxy that says so in `x-forwarded-proto`. A local `next start` over plain http gets
 * cookies without it, which the browser would otherwise drop.
 */
export function secureCookies(request: { url?: string; headers: HeaderReader }): boolean {
  if (env().appUrl.startsWith('https:')) return true;
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const protocol = forwarded ?? (request.url ? new URL(request.url).protocol.replace(':', '') : undefined);
  return protocol === 'https';
}
