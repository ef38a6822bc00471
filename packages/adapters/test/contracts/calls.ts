import type { Call, CallRepository } from "@allot/core/call";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published, sortedBy } from "./support.js";

export interface CallsSubject {
  calls: CallRepository;
  published: Published;
}

const call = (over: Partial<Call> = {}): Call =>
  ({
    callId: freshId("call"),
    programId: freshId("prog"),
    title: "Spring call",
    opensAt: "2027-01-01T00:00:00.000Z",
    closesAt: "2027-03-01T00:00:00.000Z",
    review: {
      rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
      minReviewers: 1,
      reviewPeriod: "P21D",
    },
    reviewerPool: [],
    createdAt: "2027-01-01T00:00:00.000Z",
    createdBy: "sam",
    ...over,
  }) as Call;

/** The CallRepository port's promises, for any implementation. */
export const callRepositoryContract = (name: string, subject: () => Promise<CallsSubject>) =>
  describe(`CallRepository contract: ${name}`, () => {
    it("gives back what was inserted, with its events; refuses the same id again as a conflict", async () => {
      const { calls, published } = await subject();
      const c = call();
      const opened = event("opened");
      await calls.insert(c, [opened]);
      expect(await calls.get(c.callId)).toEqual(c);
      expect(await published(opened.detail.eventId)).toBe(true);
      const again = event("again");
      expect(await failureOf(calls.insert({ ...c, title: "Other" }, [again]))).toBe("conflict");
      expect(await calls.get(c.callId)).toEqual(c);
      expect(await published(again.detail.eventId)).toBe(false);
      expect(await calls.get(freshId("call"))).toBeUndefined();
    });

    it("lists a program's calls, and those closing after an instant (strictly after)", async () => {
      const { calls } = await subject();
      const programId = freshId("prog");
      const early = call({ programId, closesAt: "2031-01-01T00:00:00.000Z" });
      const late = call({ programId, closesAt: "2031-06-01T00:00:00.000Z" });
      await calls.insert(early, []);
      await calls.insert(late, []);
      expect(sortedBy(await calls.list({ programId }), "callId")).toEqual(sortedBy([early, late], "callId"));
      expect(await calls.list({ programId, closingAfter: "2031-01-01T00:00:00.000Z" })).toEqual([late]);
      const open = (await calls.list({ closingAfter: "2031-01-01T00:00:00.000Z" })).filter(
        (c) => c.programId === programId,
      );
      expect(open).toEqual([late]);
    });

    it("extends the pool from the size read, and refuses a stale size as a conflict", async () => {
      const { calls, published } = await subject();
      const c = call({ reviewerPool: ["rev-a"] });
      await calls.insert(c, []);
      const grown = event("grown");
      await calls.extendPool(c.callId, 1, ["rev-b", "rev-c"], [grown]);
      expect((await calls.get(c.callId))?.reviewerPool).toEqual(["rev-a", "rev-b", "rev-c"]);
      expect(await published(grown.detail.eventId)).toBe(true);
      const stale = event("stale");
      expect(await failureOf(calls.extendPool(c.callId, 1, ["rev-d"], [stale]))).toBe("conflict");
      expect((await calls.get(c.callId))?.reviewerPool).toEqual(["rev-a", "rev-b", "rev-c"]);
      expect(await published(stale.detail.eventId)).toBe(false);
      expect(await failureOf(calls.extendPool(freshId("call"), 0, ["rev-a"], []))).toBe("conflict");
    });
  });
