import type { Metadata } from 'next';
import { Inbox } from '../../components/approvals/Inbox';

export const metadata: Metadata = { title: 'Approvals' };

export default function ApprovalsPage() {
  return <Inbox />;
}
