import { chain10 } from './chain10';
import type { Workload } from './types';

export type { Workload, WorkloadContext } from './types';

/** Every workload, in the order `npm run bench` runs them; one file each in this folder. */
export const WORKLOADS: readonly Workload[] = [chain10];
