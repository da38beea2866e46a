export { ExpressionError } from './errors';
export type { ExpressionErrorKind } from './errors';
export { evaluate, checkSyntax, functionTable, EXPRESSION_CACHE_SIZE } from './jmespath';
export type { FunctionParameter, SyntaxCheck } from './jmespath';
export { renderTemplate, templateExpressions, checkTemplate, isTemplate } from './template';
export type { TemplateExpression, TemplateIssue } from './template';
export { referencedRoots, WHOLE_CONTEXT } from './roots';
