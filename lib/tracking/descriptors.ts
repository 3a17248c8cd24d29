/**
 * Value descriptors: the tracking plan written as plain data (./plan-data.ts), zod-free. Two readers interpret the
 * same data: ./descriptor-zod.ts builds the zod schemas the server and the pipeline validate with, and
 * ./descriptor-check.ts checks a value in the browser without zod (the plan check there is a developer aid; the
 * pipeline is the boundary). tests/unit/tracking/plan-agreement.test.ts proves the two give the same verdicts.
 */

type Flags = {
  /** undefined (or a missing key) is allowed. */
  optional?: true;
  /** null is allowed. */
  nullable?: true;
};

export type StringDescriptor = Flags & {
  kind: 'string';
  /** Checks run on the trimmed value. */
  trim?: true;
  min?: number;
  pattern?: RegExp;
  /** Shown when `pattern` does not match. */
  message?: string;
  startsWith?: string;
  /** An email address (./email.ts's rule; zod's `z.email` with that pattern on the server). */
  format?: 'email';
};
export type NumberDescriptor = Flags & { kind: 'number'; int?: true; gt?: number; gte?: number };
export type Descriptor =
  | StringDescriptor
  | NumberDescriptor
  | (Flags & { kind: 'boolean' })
  | (Flags & { kind: 'literal'; value: string | number | boolean })
  | (Flags & { kind: 'enum'; values: readonly [string, ...string[]] })
  | (Flags & { kind: 'array'; of: Descriptor; min?: number })
  | (Flags & { kind: 'record'; of: Descriptor })
  | (Flags & { kind: 'union'; of: readonly Descriptor[] })
  | (Flags & { kind: 'object'; shape: Shape });
/** Objects are non-strict: keys not in the shape are ignored, never violations. */
export type Shape = { readonly [key: string]: Descriptor };

type StringOptions = Omit<StringDescriptor, 'kind' | keyof Flags>;
type NumberOptions = Omit<NumberDescriptor, 'kind' | keyof Flags>;

export const string = (options: StringOptions = {}) => ({ kind: 'string' as const, ...options });
export const number = (options: NumberOptions = {}) => ({ kind: 'number' as const, ...options });
export const boolean = () => ({ kind: 'boolean' as const });
export const literal = <const V extends string | number | boolean>(value: V) => ({ kind: 'literal' as const, value });
export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) => ({ kind: 'enum' as const, values });
export const array = <const D extends Descriptor>(of: D, options: { min?: number } = {}) => ({
  kind: 'array' as const,
  of,
  ...options,
});
export const record = <const D extends Descriptor>(of: D) => ({ kind: 'record' as const, of });
export const union = <const D extends readonly Descriptor[]>(...of: D) => ({ kind: 'union' as const, of });
export const object = <const S extends Shape>(shape: S) => ({ kind: 'object' as const, shape });
export const optional = <const D extends Descriptor>(d: D) => ({ ...d, optional: true as const });
export const nullable = <const D extends Descriptor>(d: D) => ({ ...d, nullable: true as const });

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Base<D> = D extends { kind: 'string' }
  ? string
  : D extends { kind: 'number' }
    ? number
    : D extends { kind: 'boolean' }
      ? boolean
      : D extends { kind: 'literal'; value: infer V }
        ? V
        : D extends { kind: 'enum'; values: readonly (infer V)[] }
          ? V
          : D extends { kind: 'array'; of: infer O }
            ? Value<O>[]
            : D extends { kind: 'record'; of: infer O }
              ? Record<string, Value<O>>
              : D extends { kind: 'union'; of: readonly (infer O)[] }
                ? O extends unknown
                  ? Value<O>
                  : never
                : D extends { kind: 'object'; shape: infer S }
                  ? Props<S>
                  : never;

/** The TypeScript type of a value `D` accepts (what `z.infer` gives for the schema built from `D`). */
export type Value<D> = Base<D> | (D extends { nullable: true } ? null : never);

type OptionalKeys<S> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
/** The object type of a shape: keys of optional descriptors are optional. */
export type Props<S> = Simplify<
  { -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Value<S[K]> } & {
    -readonly [K in OptionalKeys<S>]?: Value<S[K]>;
  }
>;
