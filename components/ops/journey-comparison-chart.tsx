import type { JourneySummary } from '@/lib/cdp/ops/contract';
import { EmptyState } from './empty-state';

/**
 * The three cart recovery strategies side by side on the same traffic: one group of bars per stage, one bar
 * per strategy. Inline SVG; the numbers are also in the table below it for screen readers and copy-paste.
 */
const METRICS = [
  { key: 'entered', label: 'Entered' },
  { key: 'held', label: 'Held now' },
  { key: 'waiting', label: 'Waiting' },
  { key: 'sent', label: 'Sent' },
  { key: 'exited', label: 'Exited' },
  { key: 'failed', label: 'Failed' },
] as const;
const COLORS = ['#b45309', '#0f766e', '#6d28d9'];

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 24, bottom: 40, left: 32 };
const BAR = 26;
const GAP = 4;

export function JourneyComparisonChart({ strategies }: { strategies: JourneySummary[] }) {
  // A chart of zeros is a big blank box: say how the first runs come instead.
  if (!strategies.some((s) => METRICS.some((m) => s[m.key] > 0))) {
    return (
      <EmptyState title="No cart recovery runs yet">
        Add something to the cart in the shop, then advance the clock or wait for the next minute: each strategy starts
        its run on the same cart, and the bars compare them here.
      </EmptyState>
    );
  }
  const max = Math.max(1, ...strategies.flatMap((s) => METRICS.map((m) => s[m.key])));
  const groupWidth = (WIDTH - PAD.left) / METRICS.length;
  const plot = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plot - (v / max) * plot;
  const summary = strategies
    .map((s) => `${s.name} (${s.mode}): ${METRICS.map((m) => `${s[m.key]} ${m.label.toLowerCase()}`).join(', ')}`)
    .join('. ');

  return (
    <figure className="rounded-lg border border-stone-200 bg-white p-4">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Cart recovery strategies compared. ${summary}`}
        className="h-auto w-full"
      >
        <line x1={PAD.left} x2={WIDTH} y1={PAD.top + plot} y2={PAD.top + plot} stroke="#d6d3d1" />
        {METRICS.map((m, gi) => {
          const x0 = PAD.left + gi * groupWidth + (groupWidth - strategies.length * (BAR + GAP)) / 2;
          return (
            <g key={m.key}>
              {strategies.map((s, si) => {
                const v = s[m.key];
                const x = x0 + si * (BAR + GAP);
                return (
                  <g key={s.id}>
                    <rect
                      x={x}
                      y={y(v)}
                      width={BAR}
                      height={PAD.top + plot - y(v)}
                      fill={COLORS[si % COLORS.length]}
                      opacity={s.mode === 'live' ? 1 : 0.55}
                    >
                      <title>{`${s.name}: ${v} ${m.label.toLowerCase()}`}</title>
                    </rect>
                    <text x={x + BAR / 2} y={y(v) - 4} textAnchor="middle" fontSize="11" fill="#44403c">
                      {v}
                    </text>
                  </g>
                );
              })}
              <text
                x={PAD.left + gi * groupWidth + groupWidth / 2}
                y={HEIGHT - PAD.bottom + 18}
                textAnchor="middle"
                fontSize="12"
                fill="#57534e"
              >
                {m.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-sm text-stone-700">
        {strategies.map((s, si) => (
          <span key={s.id} className="inline-flex items-center gap-2">
            <span
              aria-hidden
              className="inline-block h-3 w-3 rounded-sm"
              style={{ background: COLORS[si % COLORS.length], opacity: s.mode === 'live' ? 1 : 0.55 }}
            />
            {s.name}{' '}
            <strong className="font-medium">{s.mode === 'live' ? 'live' : 'shadow (sent = would have sent)'}</strong>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
