import { parentPort } from 'node:worker_threads';
import { composeAll } from './compose-message';
import type { ComposeReply, ComposeRequest } from './message-composer';

// The composing thread of message-composer.ts: each slice's messages, in the order they are asked for.
parentPort?.on('message', ({ id, intents, options }: ComposeRequest) => {
  let reply: ComposeReply;
  try {
    reply = { id, ok: true, composed: composeAll(intents, options) };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
