// Trace-level figures of one Lighthouse run (lighthouse.mjs), from the main thread's top-level tasks and the CPU
// time each took (the trace's thread duration), not its wall time. On a machine shared with other work a task's wall
// time includes the time it waited for a core, and Lighthouse's total blocking time multiplies that by 4: the same
// page moves by hundreds of milliseconds between runs. Its CPU time is what the page itself costs.
import { MainThreadTasks } from 'lighthouse/core/computed/main-thread-tasks.js';

// Lighthouse's mobile preset simulates a CPU 4× slower than the one measured; over 50 ms a task blocks input.
const CPU_SLOWDOWN = 4;
const LONG_TASK_MS = 50;

const pathOf = (url) => url.replace(/^[a-z]+:\/\/[^/]+/, '');

/**
 * Top-level main-thread tasks of the run (CPU ms each, and the scripts they are attributed to), and the scripts the
 * page requested.
 */
export async function runTasks({ lhr, artifacts }) {
  const tasks = await MainThreadTasks.request(artifacts.Trace, { computedCache: new Map() });
  return {
    tasks: tasks
      .filter((t) => !t.parent)
      .map((t) => ({ cpu: (t.event.tdur ?? 0) / 1000, scripts: t.attributableURLs.map(pathOf) })),
    scripts: lhr.audits['network-requests'].details.items
      .filter((r) => r.resourceType === 'Script')
      .map((r) => pathOf(r.url)),
  };
}

/** Σ max(0, 4 × CPU − 50 ms) over tasks: the blocking time of this CPU work on the simulated phone. */
export const cpuBlocking = (tasks) =>
  tasks.reduce((sum, t) => sum + Math.max(0, CPU_SLOWDOWN * t.cpu - LONG_TASK_MS), 0);

/**
 * The tasks of a run with tracking on that run scripts the run with tracking off never loaded (the SDK's chunks,
 * the plan's): what tracking adds, with their CPU in all and the longest.
 */
export function trackingTasks(on, off) {
  const offScripts = new Set(off.scripts);
  // Scripts only: a task is also attributed to the stylesheet it parsed, which both runs load (`scripts` lists only
  // scripts, so the first load's CSS counted as tracking's).
  const added = on.tasks.filter((t) =>
    t.scripts.some((s) => s.startsWith('/_next/') && /\.js(\?|$)/.test(s) && !offScripts.has(s)),
  );
  return {
    cpu: added.reduce((sum, t) => sum + t.cpu, 0),
    longest: Math.max(0, ...added.map((t) => t.cpu)),
    blocking: cpuBlocking(added),
  };
}
