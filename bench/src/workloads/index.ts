import { chain10 } from './chain10';
import { dashboard } from './dashboard';
import { fanout1000 } from './fanout1000';
import { fanout10k } from './fanout10k';
import { fanout100k } from './fanout100k';
import { foreach10k } from './foreach10k';
import { hops } from './hops';
import { ratelimit } from './ratelimit';
import { redos } from './redos';
import { runs10m } from './runs10m';
import { scale } from './scale';
import { studio500 } from './studio500';
import { submit100 } from './submit100';
import { tracing } from './tracing';
import type { Workload } from './types';
import { webhook } from './webhook';

export type { Workload, WorkloadContext } from './types';

/** Every workload, in the order `npm run bench` runs them; one file each in this folder. */
export const WORKLOADS: readonly Workload[] = [chain10, hops, submit100, redos, ratelimit, fanout1000, fanout10k, fanout100k, foreach10k, studio500, webhook, tracing, scale, runs10m, dashboard];
