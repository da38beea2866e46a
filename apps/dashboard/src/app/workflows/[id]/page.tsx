import type { Metadata } from 'next';
import { WorkflowVersions } from '../../../components/workflows/WorkflowVersions';

export const metadata: Metadata = { title: 'Workflow versions' };

export default async function WorkflowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WorkflowVersions id={id} />;
}
