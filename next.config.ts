import type { NextConfig } from 'next';
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from './lib/common/security-headers';

const nextConfig: NextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ['better-sqlite3', '@customerio/cdp-analytics-node'],
  poweredByHeader: false,
  // .next/standalone holds a server (server.js) with only the node_modules it needs: the deploy artefact for
  // containers and VMs (README, "Deploy"). `npm start` serves the build in place instead (scripts/start.mjs).
  output: 'standalone',
  // Files read at run time by path: the Liquid email templates (lib/cdp/engine/messages/render.ts). Turbopack's
  // tracer finds them today; listing them keeps them in .next/standalone and in serverless functions whatever the
  // bundler.
  outputFileTracingIncludes: { '/*': ['./lib/cdp/engine/messages/templates/**/*'] },
  // Every response; pages get their nonce-based Content-Security-Policy from proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: STATIC_SECURITY_HEADERS },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
