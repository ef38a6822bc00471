import { describeValue, invalid } from "./errors.js";
import { isPlainObject } from "./json.js";
import { anchoredTest, ignoreCaseTest, type StringTest, wildcardTest } from "./strings.js";
import type { ValueTest } from "./types.js";

const NESTED_OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard"];
const SHAPES =
  "a string, a number, a list of only strings or only numbers, or an object with one of " +
  NESTED_OPERATORS.map((name) => JSON.stringify(name)).join(", ");

// AWS's anything-but only excludes values of its own kind: a string exclusion never rejects a number, null or
// boolean, and vice versa. A missing field still fails, because there is no value to test.
function excluding(excluded: (value: string | number) => boolean): ValueTest {
  return (value) => !((typeof value === "string" || typeof value === "number") && excluded(value));
}

function literalList(items: readonly unknown[], where: string): ValueTest {
  if (items.length === 0) invalid(`"anything-but" list at ${where} must not be empty`);
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const [index, item] of items.entries()) {
    if (typeof item === "string") strings.add(item);
    else if (typeof item === "number" && Number.isFinite(item)) numbers.add(item);
    else {
      invalid(
        `"anything-but" list at ${where} may only contain strings or numbers, got ${describeValue(item)} at index ${index}`,
      );
    }
  }
  if (strings.size > 0 && numbers.size > 0) {
    invalid(`"anything-but" list at ${where} must contain only strings or only numbers, not both`);
  }
  return excluding((value) => (typeof value === "string" ? strings.has(value) : numbers.has(value)));
}

function nestedTest(name: string, text: string, where: string): StringTest {
  switch (name) {
    case "prefix":
    case "suffix":
      if (text === "")
        invalid(`"anything-but" / ${JSON.stringify(name)} at ${where} must not be an empty string`);
      return anchoredTest(text, name);
    case "equals-ignore-case":
      return ignoreCaseTest(text, "equals");
    default:
      return wildcardTest(text, where);
  }
}

function nested(spec: { readonly [key: string]: unknown }, where: string): ValueTest {
  const names = Object.keys(spec);
  const [name] = names;
  if (name === undefined) invalid(`Empty "anything-but" object at ${where}; expected one of ${SHAPES}`);
  if (names.length > 1) {
    invalid(
      `"anything-but" object at ${where} must have exactly one operator, got ${names.map((n) => JSON.stringify(n)).join(", ")}`,
    );
  }
  if (!NESTED_OPERATORS.includes(name)) {
    invalid(
      `Unsupported operator ${JSON.stringify(name)} inside "anything-but" at ${where}; ` +
        `supported: ${NESTED_OPERATORS.map((n) => JSON.stringify(n)).join(", ")}`,
    );
  }
  const operand = spec[name];
  // AWS accepts an empty list here but then fails while matching, so it is rejected up front.
  if (Array.isArray(operand) && operand.length === 0) {
    invalid(`"anything-but" / ${JSON.stringify(name)} list at ${where} must not be empty`);
  }
  const texts = Array.isArray(operand) ? operand : [operand];
  const tests = texts.map((text) => {
    if (typeof text !== "string") {
      invalid(
        `"anything-but" / ${JSON.stringify(name)} at ${where} must be a string or a list of strings, got ` +
          describeValue(Array.isArray(operand) ? text : operand),
      );
    }
    return nestedTest(name, text, where);
  });
  return excluding((value) => typeof value === "string" && tests.some((test) => test(value)));
}

export function anythingButTest(spec: unknown, where: string): ValueTest {
  if (typeof spec === "string") return excluding((value) => value === spec);
  if (typeof spec === "number" && Number.isFinite(spec)) return excluding((value) => value === spec);
  if (Array.isArray(spec)) return literalList(spec, where);
  if (isPlainObject(spec)) return nested(spec, where);
  invalid(`"anything-but" at ${where} must be ${SHAPES}; got ${describeValue(spec)}`);
}
