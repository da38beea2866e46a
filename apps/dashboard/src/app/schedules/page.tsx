import type { Metadata } from 'next';
import { TriggersPage } from '../../components/triggers/TriggersPage';

export const metadata: Metadata = { title: 'Schedules' };

export default function SchedulesPage() {
  return <TriggersPage kind="schedules" />;
}
