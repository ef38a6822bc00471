import type { JsonScalar } from "./json.js";

export type ValueTest = (value: JsonScalar) => boolean;

export type LeafMatcher =
  | { readonly kind: "value"; readonly test: ValueTest }
  | { readonly kind: "exists"; readonly present: boolean };

export interface FieldCondition {
  readonly name: string;
  readonly tests: readonly ValueTest[];
  readonly matchesAbsence: boolean;
}

export type Branch = readonly FieldCondition[];
