import { resolve } from 'node:path';
import type { NextConfig } from 'next';

/**
 * The dashboard's Content Security Policy: everything from its own origin (the browser talks to
 * the API through the dashboard's same-origin proxy), never framed, no plugins, no foreign forms.
 * Stricter than the studio's: no 'unsafe-eval' (no Ajv-compiled forms here).
 * - script-src 'unsafe-inline': Next.js streams each page's data in inline <script> tags, and the
 *   theme script runs before the first paint (a per-request nonce comes with the sign-in work).
 * - style-src 'unsafe-inline': React Flow positions the run graph's nodes with style attributes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  // https: creators' avatars on their public profiles (readme images are shown as links, not loaded).
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The same headers as the gateway's and the studio's. */
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
  transpilePackages: ['@weft/sdk', '@weft/workflow-schema', '@weft/ui'],
  // `turbo run typecheck lint` checks types already; building does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // ws loads optional native helpers at run time; keep it a plain Node require on the server.
  serverExternalPackages: ['ws'],
  poweredByHeader: false,
  reactStrictMode: true,
  headers: async () => [{ source: '/:path*', headers: SECURITY_HEADERS }],
  // Creator profiles live at /@handle; an app folder cannot start with @ (that is a parallel route).
  rewrites: async () => [{ source: '/@:handle', destination: '/creators/:handle' }],
};

export default config;
