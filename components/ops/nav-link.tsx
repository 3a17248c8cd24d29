'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** A console nav link that marks itself current (for screen readers too) on its section's pages. */
export function NavLink({ href, exact = false, children }: { href: string; exact?: boolean; children: string }) {
  const pathname = usePathname();
  const current = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${current ? 'bg-stone-900 text-white' : 'text-stone-700 hover:bg-stone-200'}`}
    >
      {children}
    </Link>
  );
}
