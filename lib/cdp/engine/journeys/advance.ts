import { addDuration } from '@/lib/common/duration';
import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import { emailAt, emailKnownBetween, entryTime, historyAt, isAfter, unsubscribedAt } from '@/lib/cdp/engine/subject';
import { cartOf } from './cart';
import { buildMessageData } from './message-data';
import type { JourneyDefinition } from './schema';
import { isFinal, type JourneyRun, type MessageIntent, type RunReason, type RunStatus } from './types';

export type AdvanceOptions = {
  /** Set by stepJourneys when another live run already messaged this cart: the run exits instead of sending. */
  alreadyMessaged?: boolean;
  /** Set by the runner when the run's trigger or anchor is no longer on its profile (why): the run exits. */
  movedAway?: string;
};

export type AdvanceResult = { run: JourneyRun; message?: MessageIntent };

const show = (e: EngineEvent) => `${e.name ?? e.type} #${e.seq} at ${e.timestamp.toISOString()}`;
const earlier = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

function end(run: JourneyRun, status: RunStatus, reason: RunReason | null, at: Date, detail: string): JourneyRun {
  return { ...run, status, reason, detail, endedAt: at, dueAt: status === 'sent' ? run.dueAt : null };
}

/** A run whose message cannot be built from its events (a poison event) fails alone, saying why. */
export const failInvalid = (run: JourneyRun, at: Date, detail: string): JourneyRun =>
  end(run, 'failed', 'invalid_event', at, detail);

/** The first exitOn event after the run's anchor that the person has by `now`. */
function exitEvent(journey: JourneyDefinition, run: JourneyRun, history: EngineEvent[]): EngineEvent | undefined {
  const anchor = history.find((e) => e.seq === run.anchorSeq);
  return history.find(
    (e) =>
      e.type === 'track' &&
      e.name !== null &&
      journey.exitOn.includes(e.name) &&
      (anchor ? isAfter(e, anchor) : e.timestamp > run.anchorAt),
  );
}

type Step = { run: JourneyRun; message?: MessageIntent } | null;

function step(journey: JourneyDefinition, run: JourneyRun, profile: Profile, now: Date, options: AdvanceOptions): Step {
  // Checked by event id, not by absence from the history: the profile is loaded as a window of it.
  if (options.movedAway && !isFinal(run.status))
    return { run: end(run, 'exited', 'trigger_moved', now, options.movedAway) };
  const history = historyAt(profile, { now });
  switch (run.status) {
    case 'entered': {
      if (journey.requiresEmailAtTrigger && !run.emailAtTrigger) {
        return {
          run: end(
            run,
            'failed',
            'no_email',
            run.enteredAt,
            'no email when the trigger happened: entered but cannot send',
          ),
        };
      }
      if (journey.holdForEmail && !emailAt(profile, run.enteredAt)) {
        return { run: { ...run, status: 'held', dueAt: addDuration(run.enteredAt, journey.holdForEmail) } };
      }
      return { run: { ...run, status: 'waiting', dueAt: addDuration(run.enteredAt, journey.wait) } };
    }
    case 'held': {
      const deadline = run.dueAt ?? run.enteredAt;
      // The email may arrive at the deadline itself ("up to 72 h" is inclusive).
      const emailSince = emailKnownBetween(profile, run.enteredAt, earlier(now, deadline));
      if (emailSince)
        return {
          run: {
            ...run,
            status: 'waiting',
            dueAt: addDuration(emailSince, journey.wait),
            detail: `email known at ${emailSince.toISOString()}`,
          },
        };
      const exit = exitEvent(journey, run, history);
      if (exit && entryTime(exit) <= deadline)
        return { run: end(run, 'exited', 'converted', entryTime(exit), show(exit)) };
      if (now > deadline)
        return { run: end(run, 'exited', `no_email_within_${journey.holdForEmail}`, deadline, 'hold timed out') };
      return null;
    }
    case 'waiting': {
      // Exits are checked up to `now`, even past the due time: a late pass never messages someone who bought.
      const exit = exitEvent(journey, run, history);
      if (exit) return { run: end(run, 'exited', 'converted', entryTime(exit), show(exit)) };
      const closed = journey.group === 'cart-recovery' ? cartOf(history, run.anchorSeq)?.closedBy : null;
      if (closed?.why === 'emptied')
        return { run: end(run, 'exited', 'cart_emptied', entryTime(closed.event), show(closed.event)) };
      if (!run.dueAt || now < run.dueAt) return null;
      // A cleared `cart` attribute is judged at the send, not at once: an order's identify clears it just ahead of
      // the Order Completed (converted, not emptied), and the shop sets it again to the cart an order left.
      if (closed?.why === 'cleared')
        return {
          run: end(run, 'exited', 'cart_emptied', entryTime(closed.event), `${show(closed.event)}: no cart left`),
        };
      const to = emailAt(profile, now);
      if (!to) return { run: end(run, 'failed', 'no_email', now, 'no email at send time') };
      if (options.alreadyMessaged && !run.shadow)
        return { run: end(run, 'exited', 'already_messaged', now, 'this cart was already messaged') };
      if (unsubscribedAt(profile, now))
        return { run: end(run, 'exited', 'unsubscribed', now, `${to} is unsubscribed`) };
      // Shadow runs check the data too: "would have sent" means the live journey could have.
      const built = buildMessageData(journey, run, profile, now, to);
      if (!built.ok) return { run: end(run, 'failed', built.reason, now, built.detail) };
      const finished = end(run, 'sent', null, now, run.shadow ? 'shadow: would have sent' : `sent to ${to}`);
      if (run.shadow) return { run: finished };
      const message: MessageIntent = {
        id: run.id,
        runId: run.id,
        journeyId: journey.id,
        personId: run.profileId,
        to,
        templateId: journey.template,
        scheduledAt: run.dueAt,
        createdAt: now,
        data: built.data,
      };
      return { run: finished, message };
    }
    default:
      return null;
  }
}

/**
 * Moves a run as far as `now` allows (entered → held → waiting → sent, or out through exited/failed) and
 * returns the message to deliver when a live run reaches `sent`. Pure: the same inputs give the same output,
 * and a final run is returned unchanged.
 */
export function advanceRun(
  journey: JourneyDefinition,
  run: JourneyRun,
  profile: Profile,
  now: Date,
  options: AdvanceOptions = {},
): AdvanceResult {
  let current = run;
  let message: MessageIntent | undefined;
  // At most entered → held → waiting → final: a small bound instead of `while (true)`.
  for (let i = 0; i < 4; i++) {
    const next = step(journey, current, profile, now, options);
    if (!next) break;
    current = next.run;
    message ??= next.message;
  }
  return message ? { run: current, message } : { run: current };
}
