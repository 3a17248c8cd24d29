import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Glowlab — skincare that fits your skin', template: '%s · Glowlab' },
  description: 'A demo D2C skincare shop with anonymous tracking and identity stitching.',
};

// The storefront's chrome lives in app/(shop)/layout.tsx so the ops console (app/ops) renders without it.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">{children}</body>
    </html>
  );
}
