import type { NextRequest } from 'next/server';
import { orderPageGuard } from '@/lib/shop/order-page-guard';

// Runs before rendering, so a refusal can still carry a real status code.
export function proxy(request: NextRequest) {
  return orderPageGuard(request);
}

export const config = { matcher: ['/orders/:id'] };
