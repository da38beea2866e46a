import type { Metadata } from 'next';
import { ModerationQueue } from '../../components/templates/ModerationQueue';

export const metadata: Metadata = { title: 'Template moderation' };

export default function ModerationPage() {
  return <ModerationQueue />;
}
