import { createHash } from 'node:crypto';
import { safeEqual } from './compare';
import { ACCEPTED, refused, type SignedRequest, type Verdict, type VerifyContext } from './types';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * A shared secret in a named header (scheme `header`). Both sides are hashed first, so the
 * comparison takes the same time whatever the lengths of the value sent and of the secret.
 */
export function verifySharedHeader(req: SignedRequest, ctx: VerifyContext): Verdict {
  if (!ctx.header) return refused('missing_signature', 'the hook names no header');
  const given = req.headers[ctx.header];
  if (!given) return refused('missing_signature', `${ctx.header} is required`);
  const g = digest(given);
  for (const secret of ctx.secrets) if (safeEqual(g, digest(secret))) return ACCEPTED;
  return refused('invalid_signature', `${ctx.header} does not match`);
}
