// Any /api address no route serves answers in JSON like every API answer, not with the shop's HTML 404 page.
function noSuchRoute(request: Request) {
  const path = new URL(request.url).pathname;
  return Response.json(
    { error: `No API at ${path}: the ingest is /api/cdp/v1/{t,i,p,s,g,a,b,batch}, the ops API /api/ops/…` },
    { status: 404, headers: { 'Cache-Control': 'no-store' } },
  );
}

export { noSuchRoute as DELETE, noSuchRoute as GET, noSuchRoute as PATCH, noSuchRoute as POST, noSuchRoute as PUT };
