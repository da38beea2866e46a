export { decide, runStatus, MAX_ROUNDS, PARKING_TYPES, LOOP_TYPES } from './decide';
export { DEFAULT_ORCHESTRATOR_LIMITS } from './limits';
export type { OrchestratorLimits } from './limits';
export { versionKey } from './types';
export type { DecideEnv, DueTimer, Effect, FinalWrite, Plan, ReadRequest, Reads, RunRow, RunSnapshot, RunningLoop } from './types';
