import fc from "fast-check";

// Hostile inputs derived from an operation's JSON Schema in /openapi.json: mostly well-typed
// values (so a request gets past the first check and reaches the lookups behind it), with
// any field swapped for the wrong type, a 100 KB string, an extreme number or an unknown key.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
};

export const HUGE_STRING = "x".repeat(100_000);

/** Values no field expects: wrong types, extreme numbers, huge and odd strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  true,
  -1,
  0,
  1.5,
  -1e308,
  1e308,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  "",
  " ",
  HUGE_STRING,
  "%ZZ",
  "../../etc/passwd",
  "ü日本語🙂",
  "\u0000",
  [],
  [HUGE_STRING],
  {},
  { nested: { deeper: [1, "two", null] } },
);

const isoDate = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type[0] : schema.type);

const wellTyped = (schema: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => mutated(v, depth)));
  if (schema.allOf?.length) return mutated(schema.allOf[0] as JsonSchema, depth);
  switch (typeOf(schema)) {
    case "object":
      return objectOf(schema, depth);
    case "array":
      return fc.array(mutated(schema.items ?? {}, depth + 1), {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case "string":
      if (schema.format === "date-time") return isoDate;
      return fc.string({
        minLength: Math.min(schema.minLength ?? 0, 20),
        maxLength: Math.min(schema.maxLength ?? 24, 24),
      });
    case "integer":
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000, -1_000_000_000),
        max: Math.min(schema.maximum ?? 1_000_000, 1_000_000_000),
      });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    default:
      return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  }
};

const objectOf = (schema: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
  const properties = Object.entries(schema.properties ?? {});
  const record = fc.record(Object.fromEntries(properties.map(([name, s]) => [name, mutated(s, depth + 1)])), {
    requiredKeys: properties.map(([name]) => name).filter((n) => schema.required?.includes(n)),
  });
  return fc
    .tuple(
      record,
      fc.option(fc.tuple(fc.constantFrom("unexpected", "__proto__", "constructor"), hostileValue)),
    )
    .map(([value, extra]) => (extra ? { ...(value as object), [extra[0]]: extra[1] } : value));
};

/** A value for the schema, sometimes replaced by a hostile one (more often near the top). */
export const mutated = (schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> =>
  depth > 4
    ? wellTyped(schema, depth)
    : fc.oneof({ weight: 4, arbitrary: wellTyped(schema, depth) }, { weight: 1, arbitrary: hostileValue });

/**
 * A plausible value for the schema (known ids where a property names one), to vary one leaf at a
 * time. Date-times follow each other an hour apart in document order, so an end comes after its
 * start and a record gets past its own checks to the lookups behind them.
 */
export const exemplar = (schema: JsonSchema, known: Record<string, string>): unknown => {
  let hours = 0;
  const firstHour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 24 * 3_600_000;
  const of = (s: JsonSchema, name: string): unknown => {
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    const variant = s.oneOf?.[0] ?? s.anyOf?.[0] ?? s.allOf?.[0];
    if (variant) return of(variant, name);
    switch (typeOf(s)) {
      case "object":
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([key, p]) => [key, of(p, key)]));
      case "array":
        return [of(s.items ?? {}, name.replace(/s$/, ""))];
      case "string":
        if (s.format === "date-time") return new Date(firstHour + hours++ * 3_600_000).toISOString();
        if (s.format === "email") return "someone@example.org";
        return known[name] ?? "a".repeat(Math.max(s.minLength ?? 0, 24));
      case "integer":
      case "number":
        return Math.max(s.minimum ?? 1, 1);
      case "boolean":
        return false;
      default:
        return null;
    }
  };
  return of(schema, "");
};

/** The exemplar with one leaf replaced, for every leaf and every hostile value that fits it. */
export const oneLeafVariants = (value: unknown): Array<{ label: string; value: unknown }> => {
  const variants: Array<{ label: string; value: unknown }> = [];
  const walk = (node: unknown, at: string, replace: (v: unknown) => unknown) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) {
        walk(item, `${at}[${i}]`, (v) => replace(node.map((x, j) => (j === i ? v : x))));
      }
    } else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        walk(child, at ? `${at}.${key}` : key, (v) => replace({ ...node, [key]: v }));
      }
    } else {
      const hostile =
        typeof node === "number" ? [-1, 1e308, 2 ** 53 + 2, 1.5] : [HUGE_STRING, "a".repeat(2_100)];
      for (const h of [...hostile, []]) {
        const shown = typeof h === "string" ? `a ${h.length}-character string` : JSON.stringify(h);
        variants.push({ label: `${at} = ${shown}`, value: replace(h) });
      }
    }
  };
  walk(value, "", (v) => v);
  return variants;
};
