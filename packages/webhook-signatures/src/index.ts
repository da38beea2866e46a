export type { RefusalReason, SignedRequest, Verdict, VerifyContext, WebhookScheme } from './types';
export { verifyDelivery, deliveryKey } from './verify';
export { signStandard, standardKey, verifyStandard, STANDARD_TOLERANCE_SECONDS } from './standard-webhooks';
export { signGithub, verifyGithub } from './github';
export { signStripe, verifyStripe, STRIPE_TOLERANCE_SECONDS } from './stripe';
export { verifySharedHeader } from './shared-header';
export { generateWebhookSecret, openWebhookSecret, sealWebhookSecret } from './secrets';
