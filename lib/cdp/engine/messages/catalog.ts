import { z } from 'zod';

/**
 * The message templates the journeys can send. Bodies are Liquid files in ./templates (pasteable into
 * Customer.io as they are); subject lines are Liquid too and kept here, as Customer.io keeps them in a field
 * of their own. Pure data: journeys validate their `template` against it without touching the filesystem.
 */
export const templateIds = ['cart-recovery', 'browse-recovery', 'quiz-follow-up'] as const;
export const templateIdSchema = z.enum(templateIds);
export type TemplateId = z.infer<typeof templateIdSchema>;

export const messageTemplates: Record<TemplateId, { subject: string; html: string; text: string }> = {
  'cart-recovery': {
    subject: '{{ customer.first_name | default: "Hi" }}, your Glowlab cart is waiting',
    html: 'cart-recovery.html.liquid',
    text: 'cart-recovery.text.liquid',
  },
  'browse-recovery': {
    subject: 'Still thinking about {{ event.name | default: "it" }}?',
    html: 'browse-recovery.html.liquid',
    text: 'browse-recovery.text.liquid',
  },
  'quiz-follow-up': {
    subject: 'Your Glowlab routine{% if event.result %} for {{ event.result }} skin{% endif %}',
    html: 'quiz-follow-up.html.liquid',
    text: 'quiz-follow-up.text.liquid',
  },
};
