import { isPlainObject, isScalar, type JsonObject, type JsonScalar, ownField } from "./json.js";
import type { FieldCondition, PatternNode } from "./types.js";

function hasDottedKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasDottedKey);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, child]) => key.includes(".") || hasDottedKey(child));
}

function merge(existing: unknown, incoming: unknown): unknown {
  if (isPlainObject(existing) && isPlainObject(incoming)) {
    const merged: Record<string, unknown> = Object.create(null);
    for (const [key, child] of Object.entries(existing)) merged[key] = child;
    for (const [key, child] of Object.entries(incoming)) {
      merged[key] = Object.hasOwn(merged, key) ? merge(merged[key], child) : child;
    }
    return merged;
  }
  return [
    ...(Array.isArray(existing) ? existing : [existing]),
    ...(Array.isArray(incoming) ? incoming : [incoming]),
  ];
}

function expandDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDottedKeys);
  if (!isPlainObject(value)) return value;
  let result: Record<string, unknown> = Object.create(null);
  for (const [key, child] of Object.entries(value)) {
    const nested = key
      .split(".")
      .reduceRight<unknown>(
        (inner, segment) => Object.assign(Object.create(null), { [segment]: inner }),
        expandDottedKeys(child),
      );
    result = merge(result, nested) as Record<string, unknown>;
  }
  return result;
}

// AWS flattens event keys with "." before matching, so {"a.b": 1} and {"a": {"b": 1}} are the same field.
export function normalizeEvent(event: unknown): unknown {
  return hasDottedKey(event) ? expandDottedKeys(event) : event;
}

function flatten(values: readonly unknown[], out: unknown[] = []): unknown[] {
  for (const value of values) {
    if (Array.isArray(value)) flatten(value, out);
    else out.push(value);
  }
  return out;
}

function leavesOf(value: unknown): JsonScalar[] {
  const values = Array.isArray(value) ? flatten(value) : [value];
  return values.filter(isScalar);
}

function satisfies(condition: FieldCondition, leaves: readonly JsonScalar[]): boolean {
  return condition.some((matcher) =>
    matcher.kind === "exists" ? leaves.length > 0 === matcher.present : leaves.some(matcher.test),
  );
}

function matchesElement(node: PatternNode, value: unknown): boolean {
  if (node.leaf !== undefined && !satisfies(node.leaf, isScalar(value) ? [value] : [])) return false;
  const object: JsonObject | undefined = isPlainObject(value) ? value : undefined;
  for (const [key, child] of node.children) {
    if (!matchesNode(child, object === undefined ? undefined : ownField(object, key))) return false;
  }
  return true;
}

// Fields matched inside an array of objects must all come from the same element (AWS "array consistency"). An
// element is only chosen by a condition that can match a value; a subtree made only of {"exists": false} checks
// instead requires the fields to be absent from every element.
export function matchesNode(node: PatternNode, value: unknown): boolean {
  if (node.children.size === 0) return node.leaf === undefined || satisfies(node.leaf, leavesOf(value));
  if (!Array.isArray(value)) return matchesElement(node, value);
  const elements = flatten(value);
  if (elements.length === 0) return matchesElement(node, undefined);
  return node.binds
    ? elements.some((element) => matchesElement(node, element))
    : elements.every((element) => matchesElement(node, element));
}
