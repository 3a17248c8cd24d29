import { describe, expect, it } from 'vitest';
import { cpuBlocking, trackingTasks } from '../../../scripts/bench/trace-tasks.mjs';

describe('trace figures of a Lighthouse run', () => {
  it('counts only the CPU over 50 ms on a 4× slower phone', () => {
    // 10 ms → 40 ms: not long; 20 ms → 80 ms: 30 ms blocking; 100 ms → 400 ms: 350 ms blocking.
    expect(cpuBlocking([{ cpu: 10 }, { cpu: 20 }, { cpu: 100 }])).toBe(380);
  });

  it("attributes to tracking the on run's tasks that ran scripts the off run never loaded", () => {
    const off = { tasks: [], scripts: ['/_next/static/chunks/react.js', '/_next/static/chunks/app.js'] };
    const on = {
      scripts: [...off.scripts, '/_next/static/chunks/sdk.js'],
      tasks: [
        { cpu: 80, scripts: ['/_next/static/chunks/react.js'] }, // hydration: in both runs
        { cpu: 30, scripts: ['/_next/static/chunks/sdk.js', '/_next/static/chunks/react.js'] },
        { cpu: 10, scripts: ['/_next/static/chunks/sdk.js'] },
        { cpu: 5, scripts: ['/products/x'] }, // the document: not a chunk
      ],
    };
    expect(trackingTasks(on, off)).toEqual({ cpu: 40, longest: 30, blocking: 70 });
  });
});
