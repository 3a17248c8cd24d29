import { handleOpsSessionGet, handleOpsSessionPost } from '@/lib/cdp';

/** `/ops?token=…` signs in here (GET); the console's sign-in form and sign-out button post here. */
export const GET = (request: Request) => handleOpsSessionGet(request);
export const POST = (request: Request) => handleOpsSessionPost(request);
