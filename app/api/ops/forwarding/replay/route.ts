import { replayDeadLetters, replayRoute } from '@/lib/cdp';
import { otherMethods } from '@/lib/common/http-methods';

/** Queues dead-lettered calls to Customer.io again: `{}` for all of them, `{ "ids": [..] }` for some. */
export const POST = replayRoute(replayDeadLetters);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
