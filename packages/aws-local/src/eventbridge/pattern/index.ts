import { compileBranches } from "./compile.js";
import { InvalidEventPatternError } from "./errors.js";
import { isPlainObject } from "./json.js";
import { flattenEvent, matchesBranch, namePrefixes } from "./match.js";

export { MAX_COMBINATIONS } from "./compile.js";
export { InvalidEventPatternError } from "./errors.js";

export interface CompiledPattern {
  matches(event: unknown): boolean;
}

function parseJson(text: string, onError: (reason: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw onError((error as Error).message);
  }
}

// Everything is validated here, before any event is seen, so a bad pattern fails loudly instead of never matching.
export function compilePattern(pattern: unknown): CompiledPattern {
  const source =
    typeof pattern === "string"
      ? parseJson(
          pattern,
          (reason) => new InvalidEventPatternError(`Event pattern is not valid JSON: ${reason}`),
        )
      : pattern;
  const branches = compileBranches(source);
  const wanted = namePrefixes(branches);
  return {
    matches(event: unknown): boolean {
      const parsed =
        typeof event === "string"
          ? parseJson(event, (reason) => new TypeError(`Event is not valid JSON: ${reason}`))
          : event;
      if (!isPlainObject(parsed)) throw new TypeError("Event must be a JSON object");
      const fields = flattenEvent(parsed, wanted);
      return branches.some((branch) => matchesBranch(branch, fields));
    },
  };
}

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}
