import { z } from 'zod';
import type { Descriptor, Value } from './descriptors';
import { emailSchema } from './email-schema';

/**
 * The zod schema of a descriptor (./descriptors.ts): what the server and the pipeline validate the plan with.
 * Objects are zod's default (non-strict: unknown keys are ignored). Typed by the descriptor, so `z.infer` of the
 * result is `Value<D>`.
 */
export const toZod = <const D extends Descriptor>(d: D) => build(d) as z.ZodType<Value<D>>;

/** The same schema, untyped: for code that holds any descriptor (tests/unit/tracking/plan-agreement.test.ts). */
export function build(d: Descriptor): z.ZodType {
  let schema = base(d);
  if (d.nullable) schema = schema.nullable();
  if (d.optional) schema = schema.optional();
  return schema;
}

function base(d: Descriptor): z.ZodType {
  switch (d.kind) {
    case 'string': {
      if (d.format === 'email') return emailSchema();
      let s = z.string();
      if (d.trim) s = s.trim();
      if (d.min !== undefined) s = s.min(d.min);
      if (d.pattern) s = s.regex(d.pattern, d.message);
      if (d.startsWith !== undefined) s = s.startsWith(d.startsWith);
      return s;
    }
    case 'number': {
      let n = z.number();
      if (d.int) n = n.int();
      if (d.gte !== undefined) n = n.gte(d.gte);
      if (d.gt !== undefined) n = n.gt(d.gt);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'literal':
      return z.literal(d.value);
    case 'enum':
      return z.enum(d.values);
    case 'array': {
      const a = z.array(build(d.of));
      return d.min === undefined ? a : a.min(d.min);
    }
    case 'record':
      return z.record(z.string(), build(d.of));
    case 'union':
      return z.union(d.of.map(build));
    case 'object':
      return shapeToZod(d.shape);
  }
}

/** A z.object of a shape; plan.ts builds the events' discriminated union from these. */
export function shapeToZod(shape: Record<string, Descriptor>): z.ZodObject {
  return z.object(Object.fromEntries(Object.entries(shape).map(([key, d]) => [key, build(d)])));
}
