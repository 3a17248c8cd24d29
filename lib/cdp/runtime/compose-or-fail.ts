import 'server-only';
import { z } from 'zod';
import { toProblems } from '@/lib/common/http';
import { failInvalid } from '@/lib/cdp/engine/journeys/advance';
import type { JourneyRun, MessageIntent } from '@/lib/cdp/engine/journeys/types';
import type { ComposedMessage } from '@/lib/cdp/engine/messages/render';

const describe = (error: unknown) =>
  error instanceof z.ZodError
    ? toProblems(error)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')
    : error instanceof Error
      ? error.message
      : String(error);

/**
 * Composes each intent on its own: one whose event cannot make a message (an item quantity of 1000 or 1.5, a
 * SKU over 64 characters: the restore link refuses them) fails its run with `invalid_event` and the problem,
 * and the pass, its cursor and everyone else's messages go on.
 */
export function composeOrFail(
  runs: readonly JourneyRun[],
  intents: readonly MessageIntent[],
  compose: (intent: MessageIntent) => ComposedMessage,
  now: Date,
): { runs: JourneyRun[]; messages: ComposedMessage[] } {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const messages: ComposedMessage[] = [];
  for (const intent of intents) {
    try {
      messages.push(compose(intent));
    } catch (error) {
      const run = byId.get(intent.runId);
      if (run) byId.set(run.id, failInvalid(run, now, `message not built: ${describe(error)}`));
    }
  }
  return { runs: [...byId.values()], messages };
}
