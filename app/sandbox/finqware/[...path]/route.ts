import { mountSandbox } from '@/app/sandbox/mount';

// The Finqware simulator; mountSandbox answers 404 whenever a real Finqware URL is configured.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function handler(request: Request): Promise<Response> {
  return mountSandbox('finqware', request);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
