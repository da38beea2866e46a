import type { WebhookScheme } from '@weft/workflow-schema';

export type { WebhookScheme };

/** A delivery as the verifier sees it: the raw body and lower-cased header names. */
export interface SignedRequest {
  rawBody: Buffer;
  /** Header values by lower-case name (a repeated header: its values joined by ", "). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** Why a delivery is refused; every reason answers 401. */
export type RefusalReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'invalid_signature'
  | 'timestamp_out_of_tolerance';

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; message: string };

export const refused = (reason: RefusalReason, message: string): Verdict => ({ ok: false, reason, message });
export const ACCEPTED: Verdict = { ok: true };

/** What a verifier needs: the hook's secrets (all that verify now), the clock, the scheme's options. */
export interface VerifyContext {
  secrets: readonly string[];
  /** Now, in seconds since the epoch (passed in: tests pin it). */
  nowSeconds: number;
  /** The header of the `header` scheme (lower case). */
  header?: string | undefined;
}
