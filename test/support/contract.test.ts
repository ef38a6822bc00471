import { describe, expect, it } from "vitest";
import { contractProblems } from "./contract.js";

// The check the e2e client runs on every answer: what it lets through and what it fails.

const award = {
  awardId: `awd_${"0".repeat(26)}`,
  proposalId: `prp_${"0".repeat(26)}`,
  programId: "model-program",
  callId: "call-2027-spring",
  applicantId: "alice",
  institution: "University A",
  strategicPartner: false,
  cashCents: 100,
  creditsCents: 200,
  periodMonths: 12,
  status: "offered",
  offeredAt: "2026-01-01T00:00:00.000Z",
  offerExpiresAt: "2026-01-31T00:00:00.000Z",
  history: [{ at: "2026-01-01T00:00:00.000Z", status: "offered", actor: "system", reason: "approved" }],
  held: { cashCents: 100, creditsCents: 200 },
  ledger: {
    cash: { committedCents: 100, releasedCents: 0, consumedCents: 0, heldCents: 100 },
    credits: { committedCents: 200, releasedCents: 0, consumedCents: 0, heldCents: 200 },
  },
};

describe("the contract check of the e2e client", () => {
  it("accepts an answer the document promises, new fields included", async () => {
    expect(await contractProblems("GET", "/awards/{awardId}", 200, { ...award, addedLater: 1 })).toEqual([]);
    expect(await contractProblems("GET", "/awards/{awardId}", 404, { message: "Award x not found" })).toEqual(
      [],
    );
  }, 60_000);

  it("fails a body that does not fit the handler's response schema", async () => {
    const [problem] = await contractProblems("GET", "/awards/{awardId}", 200, {
      ...award,
      creditsCents: "200",
    });
    expect(problem).toMatch(/GET \/awards\/\{awardId\} answered 200 with a body that does not fit/);
    expect(problem).toMatch(/creditsCents/);
    expect(await contractProblems("GET", "/awards/{awardId}", 400, { issues: [] })).toHaveLength(1);
  }, 60_000);

  it("fails a status the operation does not list", async () => {
    expect(await contractProblems("GET", "/programs", 404, { message: "no" })).toEqual([
      "GET /programs answered 404, a status its OpenAPI operation does not list",
    ]);
    expect(await contractProblems("POST", "/awards/{awardId}/redrive", 200, award)).toHaveLength(1);
  }, 60_000);
});
