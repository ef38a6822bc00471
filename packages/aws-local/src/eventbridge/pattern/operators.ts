import { anythingButTest } from "./anything-but.js";
import { describeValue, formatPath, invalid, type PatternPath } from "./errors.js";
import { ipInRange, parseCidr, parseIpAddress, sameIp } from "./ip.js";
import { isPlainObject, isScalar, type JsonObject } from "./json.js";
import { numericTest } from "./numeric.js";
import { type Anchor, anchoredTest, ignoreCaseTest, type StringTest, wildcardTest } from "./strings.js";
import type { LeafMatcher, ValueTest } from "./types.js";

const OPERATORS = [
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "anything-but",
  "numeric",
  "exists",
  "cidr",
];

function value(test: ValueTest): LeafMatcher {
  return { kind: "value", test };
}

function onStrings(test: StringTest): LeafMatcher {
  return value((candidate) => typeof candidate === "string" && test(candidate));
}

function requireString(name: string, operand: unknown, where: string, alternative = ""): string {
  if (typeof operand !== "string") {
    invalid(`${name} at ${where} must be a string${alternative}, got ${describeValue(operand)}`);
  }
  return operand;
}

function affixMatcher(anchor: Anchor, operand: unknown, where: string): LeafMatcher {
  if (!isPlainObject(operand)) {
    return onStrings(
      anchoredTest(
        requireString(JSON.stringify(anchor), operand, where, ' or { "equals-ignore-case": string }'),
        anchor,
      ),
    );
  }
  const names = Object.keys(operand);
  if (names.length !== 1 || names[0] !== "equals-ignore-case") {
    invalid(
      `${JSON.stringify(anchor)} at ${where} accepts only { "equals-ignore-case": string } as an object, ` +
        `got keys ${names.map((name) => JSON.stringify(name)).join(", ") || "(none)"}`,
    );
  }
  const text = requireString(`"${anchor}" / "equals-ignore-case"`, operand["equals-ignore-case"], where);
  return onStrings(ignoreCaseTest(text, anchor));
}

function cidrMatcher(operand: unknown, where: string): LeafMatcher {
  const range = parseCidr(requireString('"cidr"', operand, where), where);
  return onStrings((candidate) => {
    const ip = parseIpAddress(candidate);
    return ip !== undefined && ipInRange(ip, range);
  });
}

function operatorMatcher(expression: JsonObject, where: string): LeafMatcher {
  const names = Object.keys(expression);
  const [name] = names;
  if (name === undefined) {
    invalid(`Empty match expression {} at ${where}; expected one operator such as "prefix" or "numeric"`);
  }
  if (names.length > 1) {
    invalid(
      `Match expression at ${where} must contain exactly one operator, got ${names.map((n) => JSON.stringify(n)).join(", ")}`,
    );
  }
  const operand = expression[name];
  switch (name) {
    case "prefix":
    case "suffix":
      return affixMatcher(name, operand, where);
    case "equals-ignore-case":
      return onStrings(ignoreCaseTest(requireString(JSON.stringify(name), operand, where), "equals"));
    case "wildcard":
      return onStrings(wildcardTest(requireString(JSON.stringify(name), operand, where), where));
    case "anything-but":
      return value(anythingButTest(operand, where));
    case "numeric":
      return value(numericTest(operand, where));
    case "cidr":
      return cidrMatcher(operand, where);
    case "exists":
      if (typeof operand !== "boolean")
        invalid(`"exists" at ${where} must be true or false, got ${describeValue(operand)}`);
      return { kind: "exists", present: operand };
    default: {
      const hint = OPERATORS.find((known) => known === name.toLowerCase());
      invalid(
        `Unsupported operator ${JSON.stringify(name)} at ${where}` +
          (hint === undefined ? "" : `; operators are case-sensitive, did you mean ${JSON.stringify(hint)}?`),
      );
    }
  }
}

// A pattern string that is an IP literal matches any spelling of the same address, e.g. "::1" and "0:0:0:0:0:0:0:1".
function exactString(expected: string): LeafMatcher {
  const ip = parseIpAddress(expected);
  if (ip === undefined) return value((candidate) => candidate === expected);
  return onStrings((candidate) => {
    if (candidate === expected) return true;
    const other = parseIpAddress(candidate);
    return other !== undefined && sameIp(ip, other);
  });
}

export function leafMatcher(element: unknown, field: PatternPath, index: number): LeafMatcher {
  if (typeof element === "string") return exactString(element);
  if (isScalar(element)) return value((candidate) => candidate === element);
  if (isPlainObject(element)) return operatorMatcher(element, formatPath(field));
  invalid(
    `Match value at ${formatPath([...field, index])} must be a string, number, true, false, null or an operator ` +
      `object, got ${describeValue(element)}`,
  );
}
