import { handleCronTick } from '@/lib/cdp';

// Vercel Cron calls GET; other schedulers may POST. Both run the same tick.
export const GET = handleCronTick;
export const POST = handleCronTick;
