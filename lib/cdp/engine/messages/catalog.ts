import { z } from 'zod';

/**
 * The message templates the journeys can send. Bodies are Liquid files in ./templates, written in the Liquid
 * Customer.io documents (see ./liquid.ts) so they paste into a Customer.io campaign unchanged; subject lines are
 * Liquid too and kept here, as Customer.io keeps them in a field of their own. Pure data: journeys validate their
 * `template` against it without touching the filesystem.
 *
 * `reads` is the data a template reads, in Customer.io's scopes: `customer.*` (person attributes, in every kind
 * of campaign) and `event.*` (the properties of the event that triggered the campaign, only in event-triggered
 * ones); `snippets.*` (workspace constants) come from configuration. A run whose data does not pass it fails `missing_data` instead of
 * sending a broken email; Customer.io, likewise, fails a message whose Liquid reads an attribute nobody set.
 */
export const templateIds = ['cart-recovery', 'browse-recovery', 'quiz-follow-up', 'quiz-routine'] as const;
export const templateIdSchema = z.enum(templateIds);
export type TemplateId = z.infer<typeof templateIdSchema>;

const text = z.string().min(1);
const amount = z.number().finite().nonnegative();
/** Links are checked against the shop's origin when the message is composed (./links.ts), not here. */
const link = z.string().min(1);

/**
 * Shown only behind `default` or `if`, which read null and "" as unset, as Customer.io's Liquid does: an attribute
 * the shop cleared (`first_name: null`) must not fail a message Customer.io would send ("Hi there"). Liquid prints
 * any scalar (`42`, `true`; `false` takes the `default`), so a number or boolean another sender or an import set is
 * printed too, as there ("Hi 42,"): a string-only check failed those runs `missing_data`. Arrays and objects, whose
 * printed form Customer.io does not document, still fail.
 */
const optionalText = z.union([z.string(), z.number(), z.boolean()]).nullish();

/**
 * Required and printed as it is (a product's name, the quiz result): any scalar Liquid prints, as Customer.io sends
 * "Still thinking about 42?" for a name another sender set to 42. Empty text, null, arrays and objects fail.
 * Identifiers, addresses and links stay text.
 */
const printed = z.union([z.string().min(1), z.number().finite(), z.boolean()]);

const customer = { id: text, email: text, first_name: optionalText };

/**
 * Customer.io snippets (workspace constants, `{{ snippets.<name> }}`) the templates use. Locally the pipeline
 * fills them from its own configuration when composing (runtime/compose-message.ts): `shop_url` is APP_URL.
 */
export type Snippets = { shop_url: string };

/** What the cart template reads of the `cart` person attribute (its full shape: lib/tracking/plan.ts). */
const cart = z.object({
  items: z
    .array(
      z.object({
        name: printed,
        variant_name: optionalText,
        quantity: z.number().int().positive(),
        price: amount,
        image_url: link,
        product_url: link,
      }),
    )
    .min(1),
  cart_value: amount,
  restore_url: link,
});

type Template = { subject: string; html: string; text: string; reads: z.ZodObject };

export const messageTemplates = {
  'cart-recovery': {
    subject: '{{ customer.first_name | default: "Hi" }}, your Glowlab cart is waiting',
    html: 'cart-recovery.html.liquid',
    text: 'cart-recovery.text.liquid',
    // Person attributes only, so one template serves the event-triggered strategies and the segment-triggered
    // lookback alike, and always shows the cart as it is now.
    reads: z.object({ customer: z.object({ ...customer, cart }) }),
  },
  'browse-recovery': {
    subject: 'Still thinking about {{ event.name }}?',
    html: 'browse-recovery.html.liquid',
    text: 'browse-recovery.text.liquid',
    reads: z.object({
      customer: z.object(customer),
      event: z.object({
        name: printed,
        variant_name: optionalText,
        price: amount,
        image_url: link,
        product_url: link,
      }),
    }),
  },
  'quiz-follow-up': {
    subject: 'Your Glowlab routine for {{ event.result }} skin',
    html: 'quiz-follow-up.html.liquid',
    text: 'quiz-follow-up.text.liquid',
    reads: z.object({
      customer: z.object(customer),
      event: z.object({ result: printed, recommended_skus: z.array(text) }),
    }),
  },
  'quiz-routine': {
    subject: 'Your {{ event.result_name }} routine from Glowlab',
    html: 'quiz-routine.html.liquid',
    text: 'quiz-routine.text.liquid',
    // The request's own data (the shop's server built it from the catalogue): the routine as the result page showed it.
    reads: z.object({
      customer: z.object(customer),
      event: z.object({
        result_name: printed,
        result_url: link,
        items: z
          .array(
            z.object({
              name: printed,
              variant_name: optionalText,
              price: amount,
              image_url: link,
              product_url: link,
            }),
          )
          .min(1),
      }),
    }),
  },
} as const satisfies Record<TemplateId, Template>;

/** Templates that read `event.*` can only run in an event-triggered campaign (an `event` journey trigger). */
export const readsEvent = (id: TemplateId): boolean => 'event' in messageTemplates[id].reads.shape;
