import { EmptyState } from './empty-state';
import { Section } from './section';
import type { IngestSpoolState } from '@/lib/cdp';

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;

/**
 * This instance's ingest spool (lib/cdp/ingest/spool.ts): requests answered while the database was not answering,
 * still to be stored, and lines the drain set aside — which only the server log said before.
 */
export function IngestSpoolSection({ spool }: { spool: IngestSpoolState }) {
  const { waitingBytes, setAsideBytes, maxBytes, file, setAsideFile } = spool;
  return (
    <Section id="spool" title="Ingest spool (this instance)">
      {waitingBytes === 0 && setAsideBytes === 0 ? (
        <EmptyState title="Nothing waiting">
          {maxBytes === 0
            ? 'The spool is off (CDP_SPOOL_MAX_BYTES=0): a call that meets the database not answering gets a 503.'
            : 'Every call was stored as it came in, or drained once the database answered again.'}
        </EmptyState>
      ) : (
        <ul className="space-y-2 text-sm text-stone-700">
          {waitingBytes > 0 ? (
            <li>
              <strong>{kilobytes(waitingBytes)}</strong> of requests (of {kilobytes(maxBytes)} allowed) wait for the
              database in <code className="font-mono">{file}</code>; they are stored, once each, as soon as it answers.
            </li>
          ) : null}
          {setAsideBytes > 0 ? (
            <li>
              <strong>{kilobytes(setAsideBytes)}</strong> of lines were set aside, each with its reason, in{' '}
              <code className="font-mono">{setAsideFile}</code>: look at them, then append what should be stored to the
              spool file (lib/cdp/README.md) or delete the file.
            </li>
          ) : null}
        </ul>
      )}
    </Section>
  );
}
