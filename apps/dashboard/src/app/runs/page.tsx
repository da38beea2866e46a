import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunList } from '../../components/runs/RunList';

export const metadata: Metadata = { title: 'Runs' };

/**
 * Rendered per request: the list reads its filters with useSearchParams, which in a prerendered
 * page renders nothing on the server and the list only on the client after hydration, so its
 * GET /v1/runs started ~50 ms after the shell's calls (bench row dashboard). Rendered per request,
 * the list is in the server's HTML and its call starts with the others on hydration.
 */
export const dynamic = 'force-dynamic';

export default function RunsPage() {
  return (
    <Suspense>
      <RunList />
    </Suspense>
  );
}
