import type { Metadata } from 'next';
import { RunList } from '../../components/runs/RunList';

export const metadata: Metadata = { title: 'Runs' };

/**
 * Rendered per request, with no Suspense boundary of its own: the list reads its filters with
 * useSearchParams, which in a prerendered page renders nothing on the server (a Suspense boundary
 * is then required) and the list only on the client after the rest hydrated, so its GET /v1/runs
 * started ~35–50 ms after the shell's calls (bench row dashboard). Rendered per request, the list
 * is in the server's HTML and hydrates with the shell: its calls start with the others.
 */
export const dynamic = 'force-dynamic';

export default function RunsPage() {
  return <RunList />;
}
