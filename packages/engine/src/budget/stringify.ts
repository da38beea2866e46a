import type { Budget } from './budget';
import { count, exceeded } from './errors';
import { LIMIT_SETTINGS } from './limits';
import { jsonLowerBound } from './value-size';

/**
 * `JSON.stringify(value)` inside an evaluation (`to_string`, a template that embeds an object),
 * within the step's budget: the walk that bounds the text first is charged as work, and a text
 * that would pass the string limit, or a value nested too deep to serialize, is refused before
 * it is built.
 */
export function stringifyWithin(value: unknown, budget: Budget, what: string): string {
  const { maxStringChars, maxValueDepth } = budget.limits;
  const walk = jsonLowerBound(value, maxStringChars, maxValueDepth);
  budget.work(walk.nodes, what);
  if (walk.tooDeep !== undefined) {
    throw exceeded(LIMIT_SETTINGS.maxValueDepth, maxValueDepth, walk.tooDeep, `${what} would serialize a value nested more than ${count(maxValueDepth)} levels deep`);
  }
  budget.string(walk.size, what);
  const text = JSON.stringify(value) ?? 'null';
  // The walk is a lower bound (escapes and long numbers are longer): the text itself decides.
  if (text.length > walk.size) budget.grow(text.length, text.length - walk.size, what);
  return text;
}
