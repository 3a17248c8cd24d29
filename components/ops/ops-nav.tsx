import { NavLink } from './nav-link';

/** Console sections. */
const SECTIONS = [
  { href: '/ops', label: 'People', exact: true },
  { href: '/ops/segments', label: 'Segments', exact: false },
  { href: '/ops/journeys', label: 'Journeys', exact: false },
  { href: '/ops/outbox', label: 'Outbox', exact: false },
  { href: '/ops/forwarding', label: 'Forwarding', exact: false },
  { href: '/ops/funnel', label: 'Funnel', exact: false },
  { href: '/ops/quality', label: 'Data quality', exact: false },
];

export function OpsNav() {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-6 py-3">
        <span className="text-sm font-semibold text-stone-900">
          Glowlab <span className="text-brand">Ops</span>
        </span>
        <nav aria-label="Ops console" className="flex flex-wrap gap-1">
          {SECTIONS.map((s) => (
            <NavLink key={s.href} href={s.href} exact={s.exact}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <form action="/api/ops/session" method="post" className="ml-auto">
          <input type="hidden" name="intent" value="logout" />
          <button
            type="submit"
            className="text-sm text-stone-600 underline-offset-2 hover:text-stone-900 hover:underline"
          >
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
