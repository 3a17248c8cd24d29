import { handleIngest, handlePreflight } from '@/lib/cdp';
import { otherMethods } from '@/lib/common/http-methods';

// The Customer.io Data Pipelines HTTP API, served locally: /api/cdp/v1/{t,i,p,s,g,a,b,batch}.
export async function POST(request: Request, ctx: { params: Promise<{ path: string[] }> }) {
  const { path } = await ctx.params;
  return handleIngest(request, path);
}

export function OPTIONS(request: Request) {
  return handlePreflight(request);
}

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods('POST', 'OPTIONS');
