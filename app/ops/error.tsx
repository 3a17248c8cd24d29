'use client';

/**
 * A console page that failed to load (most often the pipeline's database not answering: a restart, a full disk,
 * PostgreSQL down), inside the console's frame instead of Next's bare error page, with a retry.
 */
export default function OpsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="max-w-xl rounded-lg border border-stone-200 bg-white p-6">
      <h1 className="text-xl font-semibold text-stone-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-stone-600">
        The console could not read the pipeline. If its database is restarting or unreachable, try again in a moment;
        the server&apos;s log says what failed
        {error.digest ? (
          <>
            {' '}
            (reference <code>{error.digest}</code>)
          </>
        ) : null}
        .
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700"
      >
        Try again
      </button>
    </div>
  );
}
