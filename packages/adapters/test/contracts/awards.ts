import type { Award, AwardRepository } from "@allot/core/award";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published, sortedBy } from "./support.js";

export interface AwardsSubject {
  awards: AwardRepository;
  /** Stores an award as the ledger's commitment does (awards are created by moving money). */
  seed(award: Award): Promise<void>;
  published: Published;
}

export const contractAward = (over: Partial<Award> = {}): Award =>
  ({
    awardId: freshId("awd"),
    proposalId: freshId("prp"),
    programId: freshId("prog"),
    applicantId: freshId("app"),
    cashCents: 100_000,
    creditsCents: 200_000,
    status: "offered",
    history: [{ at: "2027-01-01T00:00:00.000Z", status: "offered", actor: "system", reason: "approved" }],
    createdAt: "2027-01-01T00:00:00.000Z",
    updatedAt: "2027-01-01T00:00:00.000Z",
    revision: 1,
    ...over,
  }) as Award;

/** The AwardRepository port's promises, for any implementation. */
export const awardRepositoryContract = (name: string, subject: () => Promise<AwardsSubject>) =>
  describe(`AwardRepository contract: ${name}`, () => {
    it("reads awards one or many at a time, unknown ids left out", async () => {
      const { awards, seed } = await subject();
      const a = contractAward();
      const b = contractAward();
      await seed(a);
      await seed(b);
      expect(await awards.get(a.awardId)).toEqual(a);
      expect(await awards.get(freshId("awd"))).toBeUndefined();
      const many = await awards.getMany([b.awardId, freshId("awd"), a.awardId, b.awardId]);
      expect(sortedBy(many, "awardId")).toEqual(sortedBy([a, b], "awardId"));
    });

    it("updates from the revision read, with its events; a stale one is a concurrent modification", async () => {
      const { awards, seed, published } = await subject();
      const a = contractAward();
      await seed(a);
      const accepted = { ...a, status: "provisioning" as const, revision: 2 };
      const moved = event("accepted");
      await awards.update(accepted, [moved]);
      expect(await awards.get(a.awardId)).toEqual(accepted);
      expect(await published(moved.detail.eventId)).toBe(true);
      const stale = event("stale");
      expect(await failureOf(awards.update({ ...a, status: "declined", revision: 2 }, [stale]))).toBe(
        "concurrent modification",
      );
      expect(await awards.get(a.awardId)).toEqual(accepted);
      expect(await published(stale.detail.eventId)).toBe(false);
      expect(await failureOf(awards.update(contractAward({ revision: 2 }), []))).toBe(
        "concurrent modification",
      );
    });

    it("lists a program's awards, by status if asked, and an applicant's, following status changes", async () => {
      const { awards, seed } = await subject();
      const programId = freshId("prog");
      const applicantId = freshId("app");
      const a = contractAward({ programId, applicantId });
      const b = contractAward({ programId });
      const elsewhere = contractAward({ applicantId });
      for (const x of [a, b, elsewhere]) await seed(x);
      const active = { ...b, status: "active" as const, revision: 2 };
      await awards.update(active, []);
      expect(sortedBy(await awards.listByProgram(programId), "awardId")).toEqual(
        sortedBy([a, active], "awardId"),
      );
      expect(await awards.listByProgram(programId, "active")).toEqual([active]);
      expect(await awards.listByProgram(programId, "offered")).toEqual([a]);
      expect(sortedBy(await awards.listByApplicant(applicantId), "awardId")).toEqual(
        sortedBy([a, elsewhere], "awardId"),
      );
    });
  });
