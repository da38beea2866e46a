import { LinkDecision } from '../../../components/approvals/LinkDecision';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Approval', robots: { index: false, follow: false }, referrer: 'no-referrer' };

/**
 * The page an emailed or posted approve/reject link opens (no sign-in: the link's token is the
 * credential). Opening it only shows what it will do; the button decides (docs/approvals.md).
 */
export default async function ApprovePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <LinkDecision token={token} />;
}
