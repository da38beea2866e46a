import { createHash, randomBytes } from 'node:crypto';
import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import { rows } from '@weft/run-store';
import type { Pool } from 'pg';
import { AppError } from '../../errors';
import { policyOf, type AuthContext } from './auth-context';
import { normalizeEmail } from './users.service';

const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sends a sign-in link to `email`, whoever it belongs to (an unknown email gets a link that
 * creates the account), so the answer never says whether an account exists. Per client address
 * a token bucket answers 429; per email, requests past the bucket are dropped silently (still
 * 202), so nobody can flood someone's mailbox nor learn anything from the answer.
 */
export async function requestMagicLink(pool: Pool, ctx: AuthContext, logger: Logger, rawEmail: string, ip: string): Promise<void> {
  if (!ctx.mailer) throw new AppError('unavailable', 'email sign-in is not configured (set WEFT_SMTP_URL, or WEFT_DEV_MAILBOX=true in development)');
  const email = normalizeEmail(rawEmail);
  const perIp = await ctx.buckets.takeOne('magic-link-ip', ip, policyOf(ctx.limits.magicLinkPerIp));
  if (!perIp.allowed) throw new RateLimited(perIp.retryAfterMs);
  const perEmail = await ctx.buckets.takeOne('magic-link-email', hashLinkToken(email), policyOf(ctx.limits.magicLinkPerEmail));
  if (!perEmail.allowed) {
    logger.warn('a sign-in link was not sent: too many requests for this email');
    return;
  }
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await pool.query(`INSERT INTO magic_links (id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
    newId(), email, hashLinkToken(token), now, new Date(now.getTime() + ctx.magicLinkTtlMs),
  ]);
  const link = `${ctx.authBaseUrl}/v1/auth/magic-link/verify?token=${token}`;
  const minutes = Math.round(ctx.magicLinkTtlMs / 60_000);
  await ctx.mailer.send({
    to: email,
    subject: 'Sign in to Weft',
    text: `Open this link to sign in to Weft:\n\n${link}\n\nIt works once, for ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  }).catch((err: unknown) => {
    logger.error({ err }, 'could not send a sign-in link');
    throw new AppError('unavailable', 'the sign-in message could not be sent; try again later');
  });
}

/** A 429 with the bucket's wait: the route turns it into Retry-After. */
export class RateLimited extends AppError {
  constructor(readonly retryAfterMs: number) {
    super('rate_limited', `too many sign-in links requested from this address: retry in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`);
  }
}

/** Uses a link's token once: its email, or undefined when the token is unknown, used or expired. */
export async function consumeMagicLink(pool: Pool, ctx: AuthContext, token: string): Promise<string | undefined> {
  const [row] = await rows<{ email: string }>(
    pool,
    `UPDATE magic_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING email`,
    [hashLinkToken(token), ctx.now()],
  );
  return row?.email;
}
