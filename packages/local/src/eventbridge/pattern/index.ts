import { compileTrees } from "./compile.js";
import { InvalidEventPatternError } from "./errors.js";
import { matchesNode, normalizeEvent } from "./match.js";

export { MAX_COMBINATIONS } from "./compile.js";
export { InvalidEventPatternError } from "./errors.js";

export interface CompiledPattern {
  /** True when the event (a parsed JSON object or its JSON text) matches the pattern. */
  matches(event: unknown): boolean;
}

function parsePatternText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPatternError(`Event pattern is not valid JSON: ${(error as Error).message}`);
  }
}

function parseEventText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Event is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates the whole pattern up front; throws InvalidEventPatternError for anything AWS would reject. */
export function compilePattern(pattern: unknown): CompiledPattern {
  const trees = compileTrees(typeof pattern === "string" ? parsePatternText(pattern) : pattern);
  return {
    matches(event: unknown): boolean {
      const normalized = normalizeEvent(typeof event === "string" ? parseEventText(event) : event);
      return trees.some((tree) => matchesNode(tree, normalized));
    },
  };
}

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}
