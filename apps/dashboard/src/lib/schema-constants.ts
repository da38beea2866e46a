import type { Role, WebhookView } from '@weft/workflow-schema';

// The API's enumerations the browser needs, spelled here: importing their values from
// @weft/workflow-schema would bring zod into the page, whose eval probe breaks the CSP. The type
// checks below fail the build when the schema gains or loses a value.
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;
const same = <T extends true>(t: T) => t;

export const ROLE_CHOICES = ['viewer', 'operator', 'editor', 'admin', 'owner'] as const;
same<Same<(typeof ROLE_CHOICES)[number], Role>>(true);

export const WEBHOOK_SCHEME_CHOICES = ['standard-webhooks', 'github', 'stripe', 'header', 'none'] as const;
same<Same<(typeof WEBHOOK_SCHEME_CHOICES)[number], WebhookView['scheme']>>(true);

export const WEBHOOK_MODE_CHOICES = ['async', 'sync'] as const;
same<Same<(typeof WEBHOOK_MODE_CHOICES)[number], WebhookView['mode']>>(true);
