export { compile, compileOrThrow } from './compile';
export type { CompileOptions, CompileResult } from './compile';
export { WorkflowGraph, topologicalOrder, findCycles } from './graph';
export type { CompiledNode, CompiledEdge, EdgeIndex } from './graph';
export { advance, replay, isFinished, descendants } from './advance';
export { RunCursor } from './run-cursor';
export type { CursorOptions, CursorStep } from './run-cursor';
export { retryDelayMs, shouldRetry } from './retry';
export { failureRoute, takesEdge } from './failure';
export type { FailureRoute, CaughtRoute } from './failure';
export { ACTIVE_STEP_STATUSES, ENGINE_INPUT_EVENT_TYPES, toEngineEvent } from './state';
export type { RunState, NodeState, RunError, EngineEvent, Command, Transition, RunStateStatus } from './state';
export { buildContext, runOutput } from './context';
export { Budget, BudgetExceededError, DEFAULT_LIMITS, LIMIT_SETTINGS, MAX_EXPRESSION_NESTING, checkValue, serializeWithin } from './budget';
export type { Limits } from './budget';
export type { RunContext } from './context';
export {
  evaluate,
  checkSyntax,
  functionTable,
  ExpressionError,
  renderTemplate,
  templateExpressions,
  checkTemplate,
  isTemplate,
  referencedRoots,
  WHOLE_CONTEXT,
} from './expressions';
export type { ExpressionErrorKind, FunctionParameter, SyntaxCheck, TemplateExpression, TemplateIssue } from './expressions';
export { handleOf, isTruthy } from './handles';
export { SECRET_NODE_TYPES, SECRET_SHAPE_RULE, expressionSecretUses, referencedSecretNames, templateSecretUses } from './secrets';
export type { SecretUse, SecretUseRule } from './secrets';
export { PURE_NODE_TYPES, evaluatePureNode, isPureGraph, runPureGraph } from './pure';
export type { PureRunResult } from './pure';
