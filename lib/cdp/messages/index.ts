// Server-only entry (renders from files, signs tokens). Pure data lives in ./catalog and ./filters.
export { messageTemplates, templateIds, templateIdSchema, type TemplateId } from './catalog';
export { composeMessage, type ComposedMessage } from './compose';
export { money } from './filters';
export { renderMessage, type MessageContext, type RenderedMessage } from './render';
