export { CryptoError } from './errors';
export type { CryptoErrorCode } from './errors';
export { KEY_BYTES, Keyring, generateKekEntry, parseKeks } from './keyring';
export { decryptSecret, decryptSecretText, encodeFields, encryptSecret, rewrapSecret } from './envelope';
export type { Envelope, SecretAad } from './envelope';
export { rotateSecretKeys } from './rotate';
export type { RotateOptions, RotateProgress, RotateResult, SqlRunner } from './rotate';
export { checkKeyringEnv, keyringEnv, keyringFromEnv } from './env';
