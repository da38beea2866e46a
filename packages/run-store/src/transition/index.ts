/*
 * The statements of a run's transition (packages/run-core/src/transition applies a plan with
 * them): reading the run, the reads a decision may need, the effects a plan may have, and the one
 * final write.
 */
export { lockRun, readRunsForTransition, takeSettledSteps } from './read-run';
export type { StoredRun, SettledStep } from './read-run';
export { stepParams } from './step-rows';
export type { StepRow } from './step-rows';
export { writeTransitions, writeTransitionsWithSuccessors, touchRun } from './write-transition';
export type { EventRow, SuccessorRow, TransitionWrite, WrittenTransition } from './write-transition';
export { lockDueTimers } from './timers';
export type { DueTimerRow } from './timers';
export { settleWaitingStep, settleLoopStep } from './settle-step';
export type { StepOutcome } from './settle-step';
export { lockRunningLoops, firstFailedItem, loopOutputBytes, loopOutput, insertIterations, startPendingIterations, enclosingIterations, iterationsStarted } from './loops';
export type { RunningLoopRow } from './loops';
export { runDepth, findWorkflowVersion, insertChildRun, cancelChildRuns, settleParentStep } from './children';
export { cancelNodesOfRun, reopenRun, clearRetryRequest, type CancelledNodes } from './run-control';
export { errorWorkflowTarget, insertErrorRun } from './error-runs';
