/**
 * The pages anyone may see without signing in: the template gallery, template pages and creator
 * profiles (`/@handle`, served by /creators/[handle]). They read only the gateway's public routes,
 * so the session proxy's 401 → sign-in never fires on them.
 */
export function isPublicPath(path: string): boolean {
  return path === '/templates' || path.startsWith('/templates/') || path.startsWith('/@') || path.startsWith('/creators/');
}
