export { buildWebhooksApp } from './app';
export type { WebhooksOptions, WebhooksResources } from './resources';
export { WebhooksEnvSchema } from './env';
