import { z } from 'zod';

/** The OAuth 2.0 providers a connection may use (their endpoints: @weft/oauth). */
export const CONNECTION_PROVIDERS = ['google', 'slack', 'generic'] as const;
export const ConnectionProviderSchema = z.enum(CONNECTION_PROVIDERS);
export type ConnectionProvider = z.infer<typeof ConnectionProviderSchema>;

/** A connection's name: what a node's `connection` field says. */
export const CONNECTION_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const ConnectionNameSchema = z
  .string()
  .regex(CONNECTION_NAME_PATTERN, 'must be 1 to 64 characters of letters, digits, _ and -, starting with a letter (e.g. team-slack)');

/** pending: never connected; connected; needs_reconnect: the provider refused a refresh (revoked, expired). */
export const ConnectionStatusSchema = z.enum(['pending', 'connected', 'needs_reconnect']);

const ScopeSchema = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/, 'a scope has no spaces or control characters');

export const CreateConnectionBodySchema = z.strictObject({
  provider: ConnectionProviderSchema,
  name: ConnectionNameSchema,
  clientId: z.string().min(1).max(500),
  /** The app's client secret: encrypted at rest, never returned. */
  clientSecret: z.string().min(4).max(4096),
  scopes: z.array(ScopeSchema).max(100).default([]),
});
export type CreateConnectionBody = z.infer<typeof CreateConnectionBodySchema>;

/** A connection as the API shows it: never a secret or a token. */
export const ConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: ConnectionProviderSchema,
  clientId: z.string(),
  scopes: z.array(z.string()),
  status: ConnectionStatusSchema,
  /** Why it needs reconnecting (the provider's error code). */
  statusReason: z.string().nullable(),
  /** Who was connected, where the provider says (Slack: the workspace). */
  account: z.string(),
  expiresAt: z.string().nullable(),
  connectedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionIdParamSchema = z.object({ id: z.string().uuid() });

export const AuthorizeConnectionQuerySchema = z.object({
  /** Where the browser goes back to after the callback: a path of the app, or a URL of the studio or the dashboard (default: the app's `/connections`). */
  returnTo: z.string().max(500).optional(),
});

export const AuthorizeConnectionAnswerSchema = z.object({
  /** The provider's consent page: send the browser there. */
  authorizeUrl: z.string(),
  /** When the state in it stops being accepted. */
  expiresAt: z.string(),
});

export const OAuthCallbackQuerySchema = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(300).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** The node types that accept `connection`, and the provider their connection must be of. */
export const CONNECTION_NODE_PROVIDERS: Readonly<Record<string, ConnectionProvider>> = {
  slack_message: 'slack',
  google_sheets_append: 'google',
};
