const HELP = 'OPS_TOKEN, or the token in the "Ops console:" line the server printed at start-up.';

/** Posts the token to /api/ops/session, which sets an httpOnly cookie and opens `next`; works without JavaScript. */
export function LoginForm({
  problem,
  retryInMinutes,
  next,
}: {
  problem: 'invalid' | 'locked' | null;
  retryInMinutes: number;
  /** The console page to open after signing in. */
  next: string;
}) {
  const invalid = problem !== null;
  const message =
    problem === 'locked'
      ? `Too many wrong tokens from your network. Try again in ${retryInMinutes === 1 ? '1 minute' : `${retryInMinutes} minutes`}.`
      : problem === 'invalid'
        ? `That token is not right. Use ${HELP}`
        : HELP;
  return (
    <form
      action="/api/ops/session"
      method="post"
      className="max-w-sm space-y-3 rounded-lg border border-stone-200 bg-white p-6"
    >
      <input type="hidden" name="next" value={next} />
      <div>
        <label htmlFor="ops-token" className="block text-sm font-medium text-stone-800">
          Ops token
        </label>
        <input
          id="ops-token"
          name="token"
          type="password"
          required
          autoComplete="current-password"
          aria-invalid={invalid || undefined}
          aria-describedby="ops-token-help"
          className="mt-1 w-full rounded-md border border-stone-300 px-3 py-2 text-sm"
        />
        <p
          id="ops-token-help"
          className={`mt-1 text-xs ${invalid ? 'text-red-700' : 'text-stone-500'}`}
          role={invalid ? 'alert' : undefined}
        >
          {message}
        </p>
      </div>
      <button
        type="submit"
        className="rounded-md bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700"
      >
        Sign in
      </button>
    </form>
  );
}
