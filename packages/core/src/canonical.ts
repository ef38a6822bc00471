// Two records of the same content must compare equal however they were built: a store such as
// DynamoDB hands a map back with its keys in its own order, so `JSON.stringify` of the stored
// and of the resubmitted value can differ for the very same content.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const normalized = (value: unknown): Json | undefined => {
  const plain =
    isPlainObject(value) && typeof value.toJSON === "function" ? (value.toJSON as () => unknown)() : value;
  if (Array.isArray(plain)) return plain.map((item) => normalized(item) ?? null);
  if (isPlainObject(plain)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(plain).sort()) {
      const item = normalized(plain[key]);
      if (item !== undefined) out[key] = item;
    }
    return out;
  }
  if (typeof plain === "function" || typeof plain === "symbol" || plain === undefined) return undefined;
  if (typeof plain === "bigint") throw new TypeError("a bigint has no JSON form");
  return plain as Json;
};

/** JSON with object keys sorted at every depth; undefined properties left out, as JSON does. */
export const canonicalJson = (value: unknown): string => JSON.stringify(normalized(value) ?? null);

/** Whether two values hold the same JSON content, whatever the order of their keys. */
export const sameContent = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
