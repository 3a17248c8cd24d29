/** identifyServer's options: `messageId` and `timestamp` for a call sent again later. */
export type IdentifyOptions = {
  anonymousId?: string | null;
  messageId?: string;
  timestamp?: string;
  browserFollows?: boolean;
};

/** A call with its ids, messageId and time fixed: sent now, or stored and sent later identically. */
export type PreparedTrack = {
  type: 'track';
  event: string;
  properties: Record<string, unknown>;
  userId: string | null;
  anonymousId: string | null;
  messageId: string;
  timestamp: string;
};
export type PreparedIdentify = {
  type: 'identify';
  userId: string;
  anonymousId: string | null;
  traits: Record<string, unknown>;
  messageId: string;
  timestamp: string;
};
export type PreparedCall = PreparedTrack | PreparedIdentify;
