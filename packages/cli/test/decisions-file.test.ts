import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../src/csv.js";
import { decisionKey, readDecisions } from "../src/decisions-file.js";
import { CliError } from "../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "allot-decisions-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, keeping each record's line", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"two\nlines",z\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 4, fields: ["two\nlines", "z"] },
    ]);
  });

  it("refuses a quote that is never closed, naming its line", () => {
    expect(() => parseCsv('a\n"open')).toThrow("a quoted field opened on line 2 is never closed");
  });
});

describe("readDecisions", () => {
  it("reads a CSV with a header: amounts as numbers, empty cells left out, each with its file line", () => {
    const path = file(
      "d.csv",
      'proposalId,outcome,rationale,cashCents,creditsCents\nprp_a,approve,"Top ranked, open plan",900,2000\nprp_b,decline,Outside the scope,,\n',
    );
    expect(readDecisions(path)).toEqual([
      {
        line: 2,
        proposalId: "prp_a",
        decision: {
          outcome: "approve",
          rationale: "Top ranked, open plan",
          cashCents: 900,
          creditsCents: 2000,
        },
        idempotencyKey: decisionKey("prp_a", {
          outcome: "approve",
          rationale: "Top ranked, open plan",
          cashCents: 900,
          creditsCents: 2000,
        }),
      },
      {
        line: 3,
        proposalId: "prp_b",
        decision: { outcome: "decline", rationale: "Outside the scope" },
        idempotencyKey: decisionKey("prp_b", { outcome: "decline", rationale: "Outside the scope" }),
      },
    ]);
  });

  it("reads a JSON array the same way, numbering items from 1", () => {
    const path = file(
      "d.json",
      JSON.stringify([{ proposalId: "prp_b", rationale: "Outside the scope", outcome: "decline" }]),
    );
    expect(readDecisions(path)).toEqual([
      {
        line: 1,
        proposalId: "prp_b",
        decision: { outcome: "decline", rationale: "Outside the scope" },
        idempotencyKey: decisionKey("prp_b", { outcome: "decline", rationale: "Outside the scope" }),
      },
    ]);
  });

  it("derives the same key from the same line on every run, and another from any change", () => {
    const decision = { outcome: "approve", rationale: "Top ranked", cashCents: 1, creditsCents: 2 };
    const key = decisionKey("prp_a", decision);
    expect(key).toMatch(/^allot-decision-[0-9a-f]{40}$/);
    expect(
      decisionKey("prp_a", { creditsCents: 2, cashCents: 1, rationale: "Top ranked", outcome: "approve" }),
    ).toBe(key);
    expect(decisionKey("prp_b", decision)).not.toBe(key);
    expect(decisionKey("prp_a", { ...decision, cashCents: 3 })).not.toBe(key);
  });

  it.each([
    ["an unknown column", "d1.csv", "proposalId,outcome,amount\nprp_a,approve,1\n", "unknown: amount"],
    ["a short row", "d2.csv", "proposalId,outcome\nprp_a\n", "line 2: 1 fields where the header has 2"],
    ["a missing proposal", "d3.csv", "proposalId,outcome\n,approve\n", "line 2: proposalId is missing"],
    ["JSON that is not an array", "d4.json", '{"proposalId":"prp_a"}', "an array of decisions"],
    ["JSON that is not JSON", "d5.json", "[{", "not valid JSON"],
  ])("refuses %s as a usage error", (_, name, text, message) => {
    const path = file(name, text);
    let error: unknown;
    try {
      readDecisions(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain(message);
  });
});
