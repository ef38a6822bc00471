export type PatternPath = readonly (string | number)[];

export class InvalidEventPatternError extends Error {
  override name = "InvalidEventPatternException";
}

export function invalid(message: string): never {
  throw new InvalidEventPatternError(message);
}

export function formatPath(path: PatternPath): string {
  if (path.length === 0) return "the pattern root";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  if (typeof value === "object") return "an object";
  return typeof value;
}
