import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Glowlab — skincare that fits your skin', template: '%s · Glowlab' },
  description: 'A demo D2C skincare shop with anonymous tracking and identity stitching.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
