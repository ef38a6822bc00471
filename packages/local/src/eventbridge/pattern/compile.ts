import { describeValue, formatPath, invalid, type PatternPath } from "./errors.js";
import { isPlainObject, type JsonObject } from "./json.js";
import { leafMatcher } from "./operators.js";
import type { FieldCondition, PatternNode } from "./types.js";

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

interface Entry {
  readonly segments: readonly string[];
  readonly condition: FieldCondition;
}

// One conjunction of field conditions; "$or" multiplies these. Keys are the dot-joined field names, because AWS
// flattens both pattern and event keys with "." and so treats {"a.b": …} and {"a": {"b": …}} as the same field.
type Branch = ReadonlyMap<string, Entry>;

function combine(left: readonly Branch[], right: readonly Branch[], where: PatternPath): Branch[] {
  if (left.length * right.length > MAX_COMBINATIONS) {
    invalid(
      `Event pattern at ${formatPath(where)} expands to more than ${MAX_COMBINATIONS} combinations through "$or"; ` +
        "AWS rejects patterns above that limit",
    );
  }
  return left.flatMap((base) => right.map((extra): Branch => new Map([...base, ...extra])));
}

function fieldCondition(values: readonly unknown[], field: PatternPath): FieldCondition {
  if (values.length === 0) {
    invalid(`Empty array at ${formatPath(field)}; a field must list at least one value to match`);
  }
  return values.map((element, index) => leafMatcher(element, field, index));
}

function alternatives(value: unknown, segments: readonly string[], where: PatternPath): Branch[] {
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
    return objectBranches(alternative, segments, path, true);
  });
}

function objectBranches(
  pattern: JsonObject,
  segments: readonly string[],
  where: PatternPath,
  insideOr: boolean,
): Branch[] {
  const keys = Object.keys(pattern);
  if (keys.length === 0) {
    invalid(`Empty object at ${formatPath(where)}; a pattern object must name at least one field`);
  }
  let branches: Branch[] = [new Map()];
  for (const key of keys) {
    const value = pattern[key];
    const path = [...where, key];
    if (key === OR) {
      branches = combine(branches, alternatives(value, segments, path), path);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      invalid(
        `Field name ${JSON.stringify(key)} at ${formatPath(path)} is reserved and cannot be used inside "$or"`,
      );
    }
    const fieldSegments = [...segments, ...key.split(".")];
    if (Array.isArray(value)) {
      const entry: Entry = { segments: fieldSegments, condition: fieldCondition(value, path) };
      const name = fieldSegments.join(".");
      // A repeated field overrides the earlier one, as AWS documents for duplicate keys.
      branches = branches.map((branch) => new Map([...branch, [name, entry]]));
    } else if (isPlainObject(value)) {
      branches = combine(branches, objectBranches(value, fieldSegments, path, insideOr), path);
    } else {
      invalid(
        `Value at ${formatPath(path)} must be an array of values to match or a nested object, got ${describeValue(value)}`,
      );
    }
  }
  return branches;
}

function emptyNode(): PatternNode {
  return { children: new Map(), leaf: undefined, binds: false };
}

function markBinding(node: PatternNode): boolean {
  let binds = node.leaf?.some((matcher) => matcher.kind === "value" || matcher.present) ?? false;
  for (const child of node.children.values()) binds = markBinding(child) || binds;
  node.binds = binds;
  return binds;
}

function branchTree(branch: Branch): PatternNode {
  const root = emptyNode();
  for (const { segments, condition } of branch.values()) {
    let node = root;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = emptyNode();
        node.children.set(segment, child);
      }
      node = child;
    }
    node.leaf = condition;
  }
  markBinding(root);
  return root;
}

export function compileTrees(pattern: unknown): PatternNode[] {
  if (!isPlainObject(pattern)) {
    invalid(`Event pattern must be a JSON object, got ${describeValue(pattern)}`);
  }
  if (Object.keys(pattern).length === 0) {
    invalid("Event pattern is empty ({}); it must name at least one field to match");
  }
  return objectBranches(pattern, [], [], false).map(branchTree);
}
