import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunCompare } from '../../../components/compare/RunCompare';

export const metadata: Metadata = { title: 'Compare runs' };

export default function ComparePage() {
  return (
    <Suspense>
      <RunCompare />
    </Suspense>
  );
}
