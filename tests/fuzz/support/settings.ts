/**
 * The suite's size and seed. FUZZ_RUNS is the number of runs of the main properties (others scale from it); the
 * default keeps the suite near half a minute in `npm test` on two cores, a larger one is for a long run. The seed
 * is fixed so a run is reproducible, and a failure prints the seed and path that replay it.
 */
export function fuzzSettings() {
  const runs = Number(process.env.FUZZ_RUNS ?? 50);
  const seed = Number(process.env.FUZZ_SEED ?? 20_260_901);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('FUZZ_RUNS must be a positive integer');
  if (!Number.isInteger(seed)) throw new Error('FUZZ_SEED must be an integer');
  return { runs, seed };
}
