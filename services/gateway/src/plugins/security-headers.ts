import helmet from '@fastify/helmet';
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * The API answers JSON only: nothing it serves may load anything, be framed, or post a form.
 * (A CSP on JSON matters when a response is opened directly in a browser tab.)
 */
export const API_CSP = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The docs page (Swagger UI) loads its own scripts, styles and images from the gateway, fetches
 * the OpenAPI document from it, and injects a <style> element at run time (so 'unsafe-inline' for
 * styles only: without it Chromium blocks that style); it runs no inline script and no eval.
 */
export const DOCS_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers on every answer (helmet): the CSP above, `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`, HSTS and helmet's other defaults.
 * Routes under `docsPrefix` get the docs policy instead. Register before the routes.
 */
export async function registerSecurityHeaders(app: FastifyInstance, { docsPrefix }: { docsPrefix: string }) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url === docsPrefix || route.url.startsWith(`${docsPrefix}/`)) {
      route.config = { ...route.config, helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } } } as RouteOptions['config'];
    }
  });
}
