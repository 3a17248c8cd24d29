import { handleCronTick } from '@/lib/cdp';
import { otherMethods } from '@/lib/common/http-methods';

// Vercel Cron calls GET; other schedulers may POST. Both run the same tick.
export const GET = handleCronTick;
export const POST = handleCronTick;

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
