import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import type { MessageData, MessageIntent } from '../journeys/types';
import { messageTemplates, type TemplateId } from './catalog';
import { registerFilters } from './filters';

/**
 * Template bodies are read from lib/cdp/engine/messages/templates with `fs` relative to `process.cwd()`, the project
 * root under `next dev`, `next start` (scripts/start.mjs) and vitest. Not `import.meta.url`/`__dirname`: once
 * bundled those point inside .next/server. Not liquidjs' own file loader (`root`/`renderFile`): it resolves
 * partials at run time, which the bundler cannot see. File names come from the fixed catalog, never from input.
 * The standalone build (`output: 'standalone'`, where the cwd is .next/standalone) gets the folder through
 * `outputFileTracingIncludes` in next.config.ts, which must name this path.
 */
export const TEMPLATE_DIR = path.join(process.cwd(), 'lib', 'cdp', 'engine', 'messages', 'templates');

/** HTML output escapes every `{{ }}` (names and product data are user-influenced); text and subjects don't. */
const htmlEngine = new Liquid({ outputEscape: 'escape', strictFilters: true, ownPropertyOnly: true });
const textEngine = new Liquid({ strictFilters: true, ownPropertyOnly: true });
registerFilters(htmlEngine);
registerFilters(textEngine);

const parsed = new Map<string, Template[]>();

function template(engine: Liquid, key: string, source: () => string): Template[] {
  let hit = parsed.get(key);
  if (!hit) {
    hit = engine.parse(source());
    parsed.set(key, hit);
  }
  return hit;
}

const readTemplate = (file: string) => () => fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');

/** Everything a template can use: the journey's variables plus the link to rebuild the cart. */
export type MessageContext = MessageData & { restore_url?: string | null; shop_url?: string };

export type RenderedMessage = { subject: string; html: string; text: string };

/** A run's message as the outbox stores it: the intent's addressing, rendered, with the cart's restore link. */
export type ComposedMessage = RenderedMessage &
  Pick<MessageIntent, 'id' | 'runId' | 'journeyId' | 'personId' | 'to' | 'templateId' | 'scheduledAt' | 'createdAt'> & {
    restoreUrl: string | null;
  };

export function renderMessage(templateId: TemplateId, context: MessageContext): RenderedMessage {
  const entry = messageTemplates[templateId];
  const subject = textEngine.renderSync(
    template(textEngine, `${templateId}:subject`, () => entry.subject),
    context,
  );
  return {
    subject: String(subject).replace(/\s+/g, ' ').trim(),
    html: htmlEngine.renderSync(template(htmlEngine, entry.html, readTemplate(entry.html)), context),
    text: textEngine.renderSync(template(textEngine, entry.text, readTemplate(entry.text)), context),
  };
}
