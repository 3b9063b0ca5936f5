import { handlers } from '@/lib/auth/config';
import { boundedRequest } from '@/lib/http/bounded-request';

export const { GET } = handlers;

// Sign-in and sign-out posts are a few fields: the body is read with a cap before next-auth sees it.
export async function POST(request: Request): Promise<Response> {
  const bounded = await boundedRequest(request, { maxBytes: 16 * 1024, limitDescription: 'a sign-in form (16 KiB)' });
  return bounded instanceof Response ? bounded : handlers.POST(bounded as Parameters<typeof handlers.POST>[0]);
}
