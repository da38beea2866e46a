export { PATTERN_WORK_BUDGET, PatternBudgetExceeded, withPatternBudget } from './budget';
export { MAX_INSTRUCTIONS, compileLinear, linearRegExp, patternProblem } from './engine';
export type { LinearRegExp } from './engine';
export { schemaPatternIssues, schemaPatterns } from './schema-patterns';
export type { PatternIssue, SchemaPattern } from './schema-patterns';
export { UnsupportedPattern, toRe2 } from './translate';
