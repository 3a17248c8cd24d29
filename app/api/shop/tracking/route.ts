import { trackingSession } from '@/lib/shop/server/tracking-session';

// The storefront's pages are static; what their tracking needs per visitor comes from here, once per page load.
// Private to this browser (it may carry a signed identity): never cached.
export async function GET() {
  return Response.json(await trackingSession(), { headers: { 'Cache-Control': 'private, no-store' } });
}
