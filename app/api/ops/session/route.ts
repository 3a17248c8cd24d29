import { handleOpsSessionGet, handleOpsSessionPost } from '@/lib/cdp';
import { otherMethods } from '@/lib/common/http-methods';

/** `/ops?token=…` signs in here (GET); the console's sign-in form and sign-out button post here. */
export const GET = (request: Request) => handleOpsSessionGet(request);
export const POST = (request: Request) => handleOpsSessionPost(request);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
