import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ['better-sqlite3', '@customerio/cdp-analytics-node'],
  poweredByHeader: false,
};

export default nextConfig;
