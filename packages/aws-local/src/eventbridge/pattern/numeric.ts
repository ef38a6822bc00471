import { describeValue, invalid } from "./errors.js";
import type { ValueTest } from "./types.js";

const OPERATORS = ["=", "<", "<=", ">", ">="];
const EXAMPLE = '[">", 0, "<=", 5]';

function operand(items: readonly unknown[], index: number, operator: string, where: string): number {
  const value = items[index];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    invalid(
      `"numeric" operator ${JSON.stringify(operator)} at ${where} must be followed by a number, ` +
        `got ${index < items.length ? describeValue(value) : "nothing"}`,
    );
  }
  return value;
}

function operator(items: readonly unknown[], index: number, where: string): string {
  const value = items[index];
  if (typeof value !== "string") {
    invalid(
      `"numeric" at ${where} expects an operator (${OPERATORS.join(", ")}) at index ${index}, got ${describeValue(value)}`,
    );
  }
  if (!OPERATORS.includes(value)) {
    invalid(
      `Unknown numeric operator ${JSON.stringify(value)} at ${where}; expected one of ${OPERATORS.join(", ")}`,
    );
  }
  return value;
}

function expectEnd(items: readonly unknown[], length: number, where: string, rule: string): void {
  if (items.length > length) invalid(`Too many elements in "numeric" at ${where}: ${rule}`);
}

// AWS accepts exactly "=" n, a lone bound, or a lower bound followed by an upper bound, in that order.
export function numericTest(spec: unknown, where: string): ValueTest {
  if (!Array.isArray(spec)) {
    invalid(`"numeric" at ${where} must be an array such as ${EXAMPLE}, got ${describeValue(spec)}`);
  }
  if (spec.length === 0) invalid(`"numeric" at ${where} must not be empty; use e.g. ${EXAMPLE}`);
  const first = operator(spec, 0, where);
  const firstValue = operand(spec, 1, first, where);
  if (first === "=") {
    expectEnd(spec, 2, where, '"=" takes exactly one number');
    return (value) => value === firstValue;
  }
  if (first === "<" || first === "<=") {
    expectEnd(
      spec,
      2,
      where,
      'an upper bound ("<" or "<=") must come last; put the lower bound first, e.g. [">", 0, "<", 10]',
    );
    return first === "<"
      ? (value) => typeof value === "number" && value < firstValue
      : (value) => typeof value === "number" && value <= firstValue;
  }
  const lowerOpen = first === ">";
  const above = (value: number) => (lowerOpen ? value > firstValue : value >= firstValue);
  if (spec.length === 2) return (value) => typeof value === "number" && above(value);
  const second = operator(spec, 2, where);
  if (second !== "<" && second !== "<=") {
    invalid(
      `"numeric" at ${where}: a lower bound (${JSON.stringify(first)}) can only be followed by an upper bound ` +
        `("<" or "<="), got ${JSON.stringify(second)}`,
    );
  }
  const secondValue = operand(spec, 3, second, where);
  expectEnd(spec, 4, where, "a range has at most one lower and one upper bound");
  if (!(firstValue < secondValue)) {
    invalid(
      `Empty numeric range at ${where}: lower bound ${firstValue} must be less than upper bound ${secondValue}`,
    );
  }
  const upperOpen = second === "<";
  return (value) =>
    typeof value === "number" && above(value) && (upperOpen ? value < secondValue : value <= secondValue);
}
