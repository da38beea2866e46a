import { verifyGithub } from './github';
import { verifySharedHeader } from './shared-header';
import { verifyStandard } from './standard-webhooks';
import { verifyStripe } from './stripe';
import { ACCEPTED, type SignedRequest, type Verdict, type VerifyContext, type WebhookScheme } from './types';

const VERIFIERS = {
  'standard-webhooks': verifyStandard,
  github: verifyGithub,
  stripe: verifyStripe,
  header: verifySharedHeader,
  none: () => ACCEPTED,
} as const satisfies Record<WebhookScheme, (req: SignedRequest, ctx: VerifyContext) => Verdict>;

/** Verifies a delivery by its hook's scheme against every secret that verifies now. */
export function verifyDelivery(scheme: WebhookScheme, req: SignedRequest, ctx: VerifyContext): Verdict {
  return VERIFIERS[scheme](req, ctx);
}

/**
 * The sender's delivery id, the dedupe key: the configured header, else the scheme's own
 * (`webhook-id`, `X-GitHub-Delivery`, the Stripe event's `id` in the JSON body). Undefined: no key
 * (the delivery is not deduplicated).
 */
export function deliveryKey(scheme: WebhookScheme, headers: SignedRequest['headers'], body: unknown, dedupeHeader?: string | null): string | undefined {
  const key = dedupeHeader ? headers[dedupeHeader]
    : scheme === 'standard-webhooks' ? headers['webhook-id']
      : scheme === 'github' ? headers['x-github-delivery']
        : scheme === 'stripe' && body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id
          : undefined;
  return key ? key.slice(0, 200) : undefined;
}
