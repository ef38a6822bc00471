import { describe, expect, it } from "vitest";
import { offerTimeoutSeconds, startAwardWorkflow } from "../src/award/index.js";
import type { ReviewWorkflow } from "../src/proposal/ports.js";

describe("the award workflow's start", () => {
  it("waits for acceptance until the offer expires, in whole seconds rounded up", () => {
    const now = new Date("2026-11-30T12:00:00.000Z");
    expect(offerTimeoutSeconds("2026-12-30T12:00:00.000Z", now)).toBe(30 * 86_400);
    expect(offerTimeoutSeconds("2026-11-30T12:00:01.200Z", now)).toBe(2);
  });

  it("gives an offer that expired already one second, so the lapse runs at once", () => {
    const now = new Date("2026-11-30T12:00:00.000Z");
    expect(offerTimeoutSeconds("2026-11-29T12:00:00.000Z", now)).toBe(1);
  });

  it("starts the award part of the proposal's workflow with the offer's remaining time", async () => {
    const started: unknown[][] = [];
    const workflow: Pick<ReviewWorkflow, "startAward"> = {
      async startAward(...args) {
        started.push(args);
      },
    };
    const clock = { now: () => new Date("2026-11-30T12:00:00.000Z") };
    await startAwardWorkflow(
      { workflow, clock },
      { proposalId: "p-1", awardId: "a-1", offerExpiresAt: "2026-11-30T13:00:00.000Z" },
    );
    expect(started).toEqual([["p-1", "a-1", 3600]]);
  });
});
