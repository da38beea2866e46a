export { defineFunction, functionCatalogEntry } from './define';
export type { FunctionContext, RegisteredFunction } from './define';
export { loadFunctions } from './load';
