import { describeValue, formatPath, invalid, type PatternPath } from "./errors.js";
import { isPlainObject, type JsonObject } from "./json.js";
import { leafMatcher } from "./operators.js";
import type { Branch, FieldCondition, ValueTest } from "./types.js";

const OR = "$or";

// AWS's documented cap on the number of rule combinations that "$or" may expand into.
export const MAX_COMBINATIONS = 1000;

// event-ruler reserves these names inside "$or" (including ones it keeps for future operators) and AWS rejects them.
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

// Fields are keyed by their dot-joined name because AWS flattens both pattern and event keys with ".", which makes
// {"a.b": …} and {"a": {"b": …}} the same field.
type Conjunction = ReadonlyMap<string, FieldCondition>;

function combine(
  left: readonly Conjunction[],
  right: readonly Conjunction[],
  where: PatternPath,
): Conjunction[] {
  if (left.length * right.length > MAX_COMBINATIONS) {
    invalid(
      `Event pattern at ${formatPath(where)} expands to more than ${MAX_COMBINATIONS} combinations through "$or"; ` +
        "AWS rejects patterns above that limit",
    );
  }
  return left.flatMap((base) => right.map((extra): Conjunction => new Map([...base, ...extra])));
}

function fieldCondition(name: string, values: readonly unknown[], field: PatternPath): FieldCondition {
  if (values.length === 0) {
    invalid(`Empty array at ${formatPath(field)}; a field must list at least one value to match`);
  }
  const tests: ValueTest[] = [];
  let matchesAbsence = false;
  for (const [index, element] of values.entries()) {
    const matcher = leafMatcher(element, field, index);
    if (matcher.kind === "value") tests.push(matcher.test);
    else if (matcher.present) tests.push(() => true);
    else matchesAbsence = true;
  }
  return { name, tests, matchesAbsence };
}

function alternatives(value: unknown, prefix: string, where: PatternPath): Conjunction[] {
  if (!Array.isArray(value)) {
    invalid(`"$or" at ${formatPath(where)} must be an array of pattern objects, got ${describeValue(value)}`);
  }
  if (value.length < 2) {
    invalid(`"$or" at ${formatPath(where)} must list at least 2 pattern objects, got ${value.length}`);
  }
  return value.flatMap((alternative, index) => {
    const path = [...where, index];
    if (!isPlainObject(alternative)) {
      invalid(
        `"$or" alternative at ${formatPath(path)} must be a pattern object, got ${describeValue(alternative)}`,
      );
    }
    return conjunctions(alternative, prefix, path, true);
  });
}

function conjunctions(
  pattern: JsonObject,
  prefix: string,
  where: PatternPath,
  insideOr: boolean,
): Conjunction[] {
  const keys = Object.keys(pattern);
  if (keys.length === 0) {
    invalid(`Empty object at ${formatPath(where)}; a pattern object must name at least one field`);
  }
  let branches: Conjunction[] = [new Map()];
  for (const key of keys) {
    const value = pattern[key];
    const path = [...where, key];
    if (key === OR) {
      branches = combine(branches, alternatives(value, prefix, path), path);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      invalid(
        `Field name ${JSON.stringify(key)} at ${formatPath(path)} is reserved and cannot be used inside "$or"`,
      );
    }
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (Array.isArray(value)) {
      const condition = fieldCondition(name, value, path);
      // A repeated field overrides the earlier one, as AWS documents for duplicate keys.
      branches = branches.map((branch) => new Map([...branch, [name, condition]]));
    } else if (isPlainObject(value)) {
      branches = combine(branches, conjunctions(value, name, path, insideOr), path);
    } else {
      invalid(
        `Value at ${formatPath(path)} must be an array of values to match or a nested object, got ${describeValue(value)}`,
      );
    }
  }
  return branches;
}

// AWS walks a rule's fields in sorted name order, which decides how {"exists": false} interacts with arrays.
function sortedBranch(conjunction: Conjunction): Branch {
  return [...conjunction.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function compileBranches(pattern: unknown): Branch[] {
  if (!isPlainObject(pattern)) {
    invalid(`Event pattern must be a JSON object, got ${describeValue(pattern)}`);
  }
  if (Object.keys(pattern).length === 0) {
    invalid("Event pattern is empty ({}); it must name at least one field to match");
  }
  return conjunctions(pattern, "", [], false).map(sortedBranch);
}
