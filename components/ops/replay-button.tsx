'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { replayResponse, opsErrorResponse } from '@/lib/cdp/ops/contract';

/**
 * Queues dead-lettered calls again (all, or `ids`) through a queue's replay route (`endpoint`: POST
 * /api/ops/forwarding/replay or /api/ops/shop-events/replay): a same-origin fetch with the console's cookie, which
 * the ops API's same-origin check accepts and other sites' pages cannot make. `label` is what the button says;
 * `name`, what a screen reader hears when many buttons say the same.
 */
export function ReplayButton({
  endpoint,
  ids,
  label,
  name,
}: {
  endpoint: string;
  ids?: number[];
  label: string;
  name?: string;
}) {
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // One replay at a time: a second click while the first was on its way sent it again, and its answer (a 409 "not
  // dead-lettered", or "0 queued again") replaced the first's. A ref, as a double click comes before a re-render.
  const sending = useRef(false);
  const [busy, setBusy] = useState(false);

  async function replay() {
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    setStatus(null);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ids ? { ids } : {}),
    }).catch(() => null);
    const body: unknown = await response?.json().catch(() => null);
    sending.current = false;
    setBusy(false);
    // The API's 401 speaks to scripts ("Send Authorization: Bearer…"); here the session ended (signed out, expired).
    if (response?.status === 401) {
      setStatus('Your console session has ended: reload the page to sign in again, then replay');
      return;
    }
    const ok = replayResponse.safeParse(body);
    if (response?.ok && ok.success) {
      setStatus(`${ok.data.replayed} queued again`);
      startTransition(() => router.refresh());
      return;
    }
    const error = opsErrorResponse.safeParse(body);
    setStatus(error.success ? error.data.error : 'The replay could not be sent; try again');
  }

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={replay}
        aria-label={name}
        disabled={pending || busy}
        className="rounded-md bg-stone-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
      >
        {label}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-stone-600">
        {status}
      </span>
    </span>
  );
}
