import type { JsonScalar } from "./json.js";

export type ValueTest = (value: JsonScalar) => boolean;

export type LeafMatcher =
  | { readonly kind: "value"; readonly test: ValueTest }
  | { readonly kind: "exists"; readonly present: boolean };

export type FieldCondition = readonly LeafMatcher[];

export interface PatternNode {
  readonly children: Map<string, PatternNode>;
  leaf: FieldCondition | undefined;
  binds: boolean;
}
