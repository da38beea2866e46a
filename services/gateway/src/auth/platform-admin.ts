import { AppError } from '../errors';
import { isPlatformAdmin, type Principal } from './principal';

/** The access of platform-admin routes: a permission no org role grants, so only a signed-in platform admin passes. */
export const PLATFORM_ADMIN = { permission: 'platform:admin', orPlatformAdmin: true } as const;

/** The admin's user id (the access check let only platform admins through; checked again here). `what`: what they do, for the 403. */
export function platformAdminOnly(p: Principal, what: string): string {
  if (!isPlatformAdmin(p) || p.kind !== 'session') throw new AppError('forbidden', `${what} platform admins (WEFT_PLATFORM_ADMINS), signed in`);
  return p.userId;
}
