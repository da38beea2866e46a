/** What every caller has: the org it acts in and its role there. */
interface PrincipalBase {
  orgId: string;
  role: string;
  /** When the credential stops working (null: never, or a session: its expiry does not bound what it creates). */
  expiresAt: Date | null;
}

/** An API key of one org, with the role stored on the key. */
export interface KeyPrincipal extends PrincipalBase {
  kind: 'key';
  keyId: string;
}

/** A signed-in user (session cookie), acting in the org picked by `Weft-Org`, with their membership's role. */
export interface SessionPrincipal extends PrincipalBase {
  kind: 'session';
  userId: string;
  sessionId: string;
  /** The user runs the installation (users.platform_admin): template moderation, whatever the org role. */
  platformAdmin: boolean;
}

/** Who is calling: an API key or a signed-in user's session. */
export type Principal = KeyPrincipal | SessionPrincipal;

/** A signed-in user who runs the installation (never an API key: keys belong to one org). */
export const isPlatformAdmin = (p: Principal): boolean => p.kind === 'session' && p.platformAdmin;

/** The actor of a principal as the API shows it: `{ type: 'api_key' | 'user', id }`. */
export const actorOfPrincipal = (p: Principal): { type: 'api_key' | 'user'; id: string } =>
  p.kind === 'key' ? { type: 'api_key', id: p.keyId } : { type: 'user', id: p.userId };

/** How a principal is recorded in `created_by` / `published_by` columns: `api_key:<id>` or `user:<id>`. */
export const principalRef = (p: Principal) => {
  const a = actorOfPrincipal(p);
  return `${a.type}:${a.id}`;
};

/** A `created_by` / `published_by` column as the API shows it: `api_key:<id>` → `{ type, id }`. */
export function actorOf(ref: string | null): { type: 'api_key' | 'user'; id: string } | null {
  if (!ref) return null;
  const at = ref.indexOf(':');
  const type = ref.slice(0, at);
  return type === 'api_key' || type === 'user' ? { type, id: ref.slice(at + 1) } : null;
}
