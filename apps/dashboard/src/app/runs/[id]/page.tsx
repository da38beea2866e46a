import type { Metadata } from 'next';
import { RunView } from '../../../components/run/RunView';
import { env } from '../../../env';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunView id={id} traceUrlTemplate={env().WEFT_TRACE_URL_TEMPLATE ?? null} />;
}
