import type { ReactNode } from 'react';

/** A titled part of a console page, labelled by its heading for screen-reader navigation. */
export function Section({
  id,
  title,
  children,
  className = 'mb-8',
}: {
  id: string;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className={className}>
      <h2 id={`${id}-heading`} className="mb-3 text-lg font-semibold text-stone-900">
        {title}
      </h2>
      {children}
    </section>
  );
}
