export { PII_KINDS, type PiiKind, type PiiMatch } from './kinds';
export { findPii, redactText, redactionMark, type FindOptions } from './find';
export { redactValue } from './redact-value';
export { luhnValid } from './card';
export { DEFAULT_PHONE_REGIONS } from './phone';
