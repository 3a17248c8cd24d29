import fs from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestSpoolSection } from '@/components/ops/ingest-spool-section';
import { instanceSpool } from '@/lib/cdp/ingest/spool';
import { ingestSpoolState } from '@/lib/cdp/ops/forwarding';
import { resetEnvCache } from '@/lib/env';
import { tempFolder } from '../support/temp-folders';

// The forwarding page's section for this instance's ingest spool: what waits for the database and what the drain set
// aside, read from the spool's own files (before, only the server log told).
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

const shown = async () =>
  renderToStaticMarkup(<IngestSpoolSection spool={await ingestSpoolState()} />).replace(/<[^>]+>/g, '');

describe("the console's ingest spool section", () => {
  it('says nothing waits, then what waits and where, then what was set aside', async () => {
    process.env.CDP_SPOOL_DIR = tempFolder('glowlab-spool-');
    resetEnvCache();
    expect(await shown()).toContain('Nothing waiting');

    const spool = instanceSpool();
    expect(await spool.append(JSON.stringify({ id: 'line-1', calls: 'x'.repeat(3000) }))).toBe(true);
    const waiting = await shown();
    expect(waiting).toMatch(/3 KB of requests \(of 65,536 KB allowed\) wait for the database/);
    expect(waiting).toContain(spool.active);
    expect(waiting).not.toContain('set aside');

    await spool.deadLetter('{"id":"line-0"', 'cut short by a crash while it was written');
    expect(await shown()).toContain(`set aside, each with its reason, in${' '}${spool.dead}`);
    fs.rmSync(spool.active);
    expect(await shown()).not.toContain('wait for the database');
  });

  it('says when the spool is off', async () => {
    process.env.CDP_SPOOL_DIR = tempFolder('glowlab-spool-');
    process.env.CDP_SPOOL_MAX_BYTES = '0';
    resetEnvCache();
    expect(await shown()).toContain('The spool is off (CDP_SPOOL_MAX_BYTES=0)');
  });
});
