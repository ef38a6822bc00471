import { describe, expect, it } from "vitest";
import { canonicalJson, sameContent } from "../src/canonical.js";

describe("canonical JSON", () => {
  it("orders object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[2,{"x":0,"y":1}]},"b":1}',
    );
  });

  it("leaves out undefined properties, as JSON does, and writes undefined array items as null", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it("says two values are the same content whatever their key order, and not when a value differs", () => {
    const submitted = { scores: { impact: 5, feasibility: 4 }, comments: "Clear", commentsToApplicant: "Go" };
    const stored = { commentsToApplicant: "Go", comments: "Clear", scores: { feasibility: 4, impact: 5 } };
    expect(JSON.stringify(stored)).not.toBe(JSON.stringify(submitted));
    expect(sameContent(stored, submitted)).toBe(true);
    expect(sameContent(stored, { ...submitted, scores: { impact: 5, feasibility: 3 } })).toBe(false);
    expect(sameContent([1, 2], [2, 1])).toBe(false);
    expect(sameContent({ a: 1 }, { a: "1" })).toBe(false);
  });
});
