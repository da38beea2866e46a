export type CryptoErrorCode =
  /** WEFT_KEKS / WEFT_KEK_CURRENT are malformed. */
  | 'invalid_keyring'
  /** An envelope names a KEK this process does not hold. */
  | 'unknown_kek'
  /** Authentication failed: wrong key, wrong AAD, or tampered bytes (never says which). */
  | 'decrypt_failed'
  /** The stored bytes do not have the envelope's shape. */
  | 'invalid_envelope';

/** Every failure of this package. Messages never carry key material or plaintext. */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}
