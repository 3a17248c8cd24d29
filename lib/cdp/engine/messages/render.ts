import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { Template } from 'liquidjs';
import type { MessageData, MessageIntent } from '../journeys/types';
import { messageTemplates, type Snippets, type TemplateId } from './catalog';
import { customerIoLiquid, UNSUBSCRIBE_URL } from './liquid';
import { compileFast, type FastTemplate } from './liquid-fast';

/**
 * Template bodies are read from lib/cdp/engine/messages/templates with `fs` relative to `process.cwd()`, the project
 * root under `next dev`, `next start` (scripts/start.mjs) and vitest. Not `import.meta.url`/`__dirname`: once
 * bundled those point inside .next/server. Not liquidjs' own file loader (`root`/`renderFile`): it resolves
 * partials at run time, which the bundler cannot see. File names come from the fixed catalog, never from input.
 * The standalone build (`output: 'standalone'`, where the cwd is .next/standalone) gets the folder through
 * `outputFileTracingIncludes` in next.config.ts, which must name this path.
 */
export const TEMPLATE_DIR = path.join(process.cwd(), 'lib', 'cdp', 'engine', 'messages', 'templates');

export const readTemplate = (file: string) => fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');

const engine = customerIoLiquid();
type Parsed = { templates: Template[]; fast: FastTemplate | null };
const parsed = new Map<string, Parsed>();

/** Parsed once per process, with its compiled fast path (./liquid-fast.ts) when it has one. */
function template(key: string, source: () => string): Parsed {
  let hit = parsed.get(key);
  if (!hit) {
    const templates = engine.parse(source());
    hit = { templates, fast: compileFast(templates) };
    parsed.set(key, hit);
  }
  return hit;
}

/** Everything a template sees, by Customer.io's names: the message data plus the workspace's snippets. */
export type MessageContext = MessageData & { snippets: Snippets };

export type RenderedMessage = { subject: string; html: string; text: string };

/** A run's message as the outbox stores it: the intent's addressing, rendered, with the cart's restore link. */
export type ComposedMessage = RenderedMessage &
  Pick<MessageIntent, 'id' | 'runId' | 'journeyId' | 'personId' | 'to' | 'templateId' | 'scheduledAt' | 'createdAt'> & {
    restoreUrl: string | null;
  };

/**
 * Renders subject, HTML and text. Throws when the data lacks something a template prints (as Customer.io fails
 * such a message); the caller fails the run. `unsubscribeUrl` is what `{% unsubscribe_url %}` prints.
 */
export function renderMessage(
  templateId: TemplateId,
  context: MessageContext,
  { unsubscribeUrl }: { unsubscribeUrl: string },
): RenderedMessage {
  const entry = messageTemplates[templateId];
  const options = { globals: { [UNSUBSCRIBE_URL]: unsubscribeUrl } };
  const render = (key: string, source: () => string) => {
    const { templates, fast } = template(key, source);
    const quick = fast?.(context, options.globals);
    if (quick !== undefined) return quick;
    // With strict variables, liquidjs throws (and catches) an Error for every unset variable that `default` or
    // `if` tolerates, such as a missing first name; capturing those errors' stacks was a tenth of a journey
    // pass's rendering. The render is synchronous, so no other code runs while the limit is lowered, and a real
    // render failure is reported by its message only (composeMessages).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return engine.renderSync(templates, context, options) as string;
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  return {
    subject: render(`${templateId}:subject`, () => entry.subject)
      .replace(/\s+/g, ' ')
      .trim(),
    html: render(entry.html, () => readTemplate(entry.html)),
    text: render(entry.text, () => readTemplate(entry.text)),
  };
}
