import type { Metadata } from 'next';
import { TriggersPage } from '../../components/triggers/TriggersPage';

export const metadata: Metadata = { title: 'Webhooks' };

export default function WebhooksPage() {
  return <TriggersPage kind="webhooks" />;
}
