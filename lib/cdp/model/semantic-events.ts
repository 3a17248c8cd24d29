import type { IngestMessage } from './message';

/**
 * Customer.io's semantic events ("Customer.io events" in its docs): track calls whose name performs an action.
 * The three about people act here as on Customer.io; the others concern devices, objects and in-app delivery
 * reports, which this pipeline has no notion of: they are stored like any event (an accepted no-op, listed in
 * lib/cdp/README.md "Where this differs from Customer.io") and forwarded unchanged.
 */
export const PERSON_ACTIONS = {
  /** Deletes the person: profile, events, identities, journey runs and messages. The id may come back later. */
  userDeleted: 'User Deleted',
  /** Deletes the person and refuses later calls with that userId until unsuppressed. */
  userSuppressed: 'User Suppressed',
  userUnsuppressed: 'User Unsuppressed',
} as const;
export type PersonAction = (typeof PERSON_ACTIONS)[keyof typeof PERSON_ACTIONS];

/** Stored and forwarded as they are: nothing here keeps devices, objects or in-app delivery reports. */
export const ACCEPTED_NO_OP_EVENTS = [
  'Device Created or Updated',
  'Device Deleted',
  'Object Deleted',
  'Relationship Deleted',
  'Report Delivery Event',
] as const;

const ACTIONS = new Set<string>(Object.values(PERSON_ACTIONS));

/** The person action a call asks for, if it is one (a track call named as above). */
export function personActionOf(message: Pick<IngestMessage, 'type' | 'event'>): PersonAction | null {
  return message.type === 'track' && message.event && ACTIONS.has(message.event)
    ? (message.event as PersonAction)
    : null;
}
