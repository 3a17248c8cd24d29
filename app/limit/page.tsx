import type { Metadata } from 'next';
import Image from 'next/image';

export const metadata: Metadata = { title: 'Limit page', robots: { index: false } };

/**
 * The limit of the Lighthouse benchmark (scripts/bench/lighthouse.mjs, issue 13): a minimal Next.js page — one
 * image and a line of text, none of the shop's chrome or tracking — served by the same server in the same run.
 */
export default function LimitPage() {
  return (
    <main className="mx-auto max-w-md p-6">
      <Image src="/products/gentle-gel-cleanser.svg" alt="A bottle of cleanser" width={400} height={400} preload />
      <p>Glowlab, the minimal page.</p>
    </main>
  );
}
