import { handleIngest, handlePreflight } from '@/lib/cdp';

// The Customer.io Data Pipelines HTTP API, served locally: /api/cdp/v1/{t,i,p,s,g,a,b,batch}.
export async function POST(request: Request, ctx: { params: Promise<{ path: string[] }> }) {
  const { path } = await ctx.params;
  return handleIngest(request, path);
}

export function OPTIONS(request: Request) {
  return handlePreflight(request);
}
