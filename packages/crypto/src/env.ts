import { z } from 'zod';
import { CryptoError } from './errors';
import { Keyring, parseKeks } from './keyring';

/**
 * The key-encryption settings, spread into a service's env schema (gateway, executor, the
 * rotation command). Both unset: secrets are disabled (the API answers 503, steps that use a
 * secret fail). Set but wrong: the service refuses to start, naming the problem (never a key).
 */
export const keyringEnv = {
  /**
   * Key-encryption keys: comma-separated `id:base64key` pairs, each key 32 random bytes
   * (`openssl rand -base64 32`). Keep old ids listed until `npm run rotate-keys` has finished.
   */
  WEFT_KEKS: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      try {
        parseKeks(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof CryptoError ? err.message : 'invalid' });
      }
    }),
  /** Id (in WEFT_KEKS) of the KEK that wraps new data keys. */
  WEFT_KEK_CURRENT: z.string().trim().optional(),
};

type KeyringEnv = { WEFT_KEKS: string; WEFT_KEK_CURRENT?: string | undefined };

/** Object-level check for `.superRefine` of an env schema: the current id must be one of the KEKs. */
export function checkKeyringEnv(env: KeyringEnv, ctx: z.RefinementCtx): void {
  let ids: string[];
  try {
    ids = [...parseKeks(env.WEFT_KEKS).keys()];
  } catch {
    return; // reported on WEFT_KEKS itself
  }
  if (ids.length && !env.WEFT_KEK_CURRENT) ctx.addIssue({ code: 'custom', path: ['WEFT_KEK_CURRENT'], message: 'required when WEFT_KEKS is set' });
  else if (env.WEFT_KEK_CURRENT && !ids.includes(env.WEFT_KEK_CURRENT)) {
    ctx.addIssue({ code: 'custom', path: ['WEFT_KEK_CURRENT'], message: `"${env.WEFT_KEK_CURRENT}" is not an id in WEFT_KEKS (${ids.join(', ') || 'empty'})` });
  }
}

/** The keyring of a parsed env, or undefined when no KEK is configured (secrets disabled). */
export function keyringFromEnv(env: KeyringEnv): Keyring | undefined {
  if (!env.WEFT_KEKS.trim()) return undefined;
  return Keyring.parse(env.WEFT_KEKS, env.WEFT_KEK_CURRENT ?? '');
}
