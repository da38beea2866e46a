import { resolve } from 'node:path';
import type { NextConfig } from 'next';

/**
 * The studio's Content Security Policy: everything from its own origin only (the browser talks to
 * the API through the studio's same-origin proxy), never framed, no plugins, no foreign form targets.
 * - script-src 'unsafe-inline': Next.js streams each page's data in inline <script> tags that differ
 *   per page (no fixed hash), and the theme script runs before the first paint. A per-request nonce
 *   would need every page rendered dynamically (planned with the sign-in work, not done).
 * - script-src 'unsafe-eval': Ajv compiles the catalog's JSON Schemas into functions in the browser
 *   (the node forms' live validation); without it every form reports its schema as invalid.
 * - style-src 'unsafe-inline': React Flow and the canvas position nodes with style attributes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The same headers as the gateway's (see services/gateway/src/plugins/security-headers.ts). */
const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CONTENT_SECURITY_POLICY },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

const config: NextConfig = {
  // Container images build a self-contained server (`WEFT_NEXT_OUTPUT=standalone`, see the app's
  // Dockerfile); `npm start` keeps `next start`. The monorepo root is where dependencies are traced from.
  ...(process.env.WEFT_NEXT_OUTPUT === 'standalone' ? { output: 'standalone' as const, outputFileTracingRoot: resolve(process.cwd(), '../..') } : {}),
  // The workspace packages export TypeScript sources.
  transpilePackages: ['@weft/sdk', '@weft/workflow-schema', '@weft/linear-regex', '@weft/schedule', '@weft/ui', '@weft/templates'],
  // `turbo run typecheck lint` checks types already; building does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // ws loads optional native helpers at run time; keep it a plain Node require on the server.
  serverExternalPackages: ['ws'],
  poweredByHeader: false,
  reactStrictMode: true,
  headers: async () => [{ source: '/:path*', headers: SECURITY_HEADERS }],
};

export default config;
