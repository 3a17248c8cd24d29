import { trackingSession } from '@/lib/shop/server/tracking-session';
import { otherMethods } from '@/lib/common/http-methods';

// The storefront's pages are static; what their tracking needs per visitor comes from here, once per page load.
// Private to this browser (it may carry a signed identity): never cached.
export async function GET() {
  return Response.json(await trackingSession(), { headers: { 'Cache-Control': 'private, no-store' } });
}

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
