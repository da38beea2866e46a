export { CronSchedule, cronProblem, timezoneProblem, MAX_CRON_LENGTH } from './spec';
export { previewFires } from './preview';
export type { PreviewFire } from './preview';
export { planFires } from './plan';
export type { CatchupLimits, FirePlan } from './plan';
export { OVERLAP_POLICIES, CATCHUP_POLICIES, overlapDecision } from './policies';
export type { OverlapPolicy, CatchupPolicy } from './policies';
export { localIso, offsetMinutes } from './offsets';
