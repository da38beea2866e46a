import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workspace packages export TypeScript sources.
  transpilePackages: ['@weft/sdk', '@weft/workflow-schema'],
  // `turbo run typecheck lint` checks types already; building does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // ws loads optional native helpers at run time; keep it a plain Node require on the server.
  serverExternalPackages: ['ws'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
