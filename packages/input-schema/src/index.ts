export { UnusableInputSchema, checkInputSchema, triggerInputIssues, triggerSchemas, validateInputs } from './input-schema';
