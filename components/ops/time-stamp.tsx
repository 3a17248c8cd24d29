/**
 * Times are shown in UTC, like the pipeline stores them, so server rendering is stable and rows compare at a
 * glance.
 */
export function TimeStamp({ iso, title }: { iso: string; title?: string }) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return (
    <time dateTime={iso} title={title} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
