import { Budget } from '../budget/budget';

/**
 * The budget of the evaluation under way. Evaluation is synchronous and never re-entered, so
 * one slot is enough; `evaluate` sets it for the duration of a search and puts the previous one
 * back. The interpreter's visit and the function table read it (they are shared singletons and
 * cannot take it as an argument: the library calls them).
 */
export const meter: { budget: Budget } = { budget: new Budget() };
