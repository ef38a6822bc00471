import type { Proposal, ProposalRepository } from "@allot/core/proposal";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published, sortedBy } from "./support.js";

export interface ProposalsSubject {
  proposals: ProposalRepository;
  published: Published;
}

const draft = (over: Partial<Proposal> = {}): Proposal =>
  ({
    proposalId: freshId("prp"),
    callId: freshId("call"),
    applicantId: freshId("app"),
    title: "Sparse attention at scale",
    status: "draft",
    createdAt: "2027-01-01T00:00:00.000Z",
    updatedAt: "2027-01-01T00:00:00.000Z",
    revision: 1,
    ...over,
  }) as Proposal;

const next = (p: Proposal, over: Partial<Proposal> = {}): Proposal => ({
  ...p,
  updatedAt: "2027-01-02T00:00:00.000Z",
  revision: p.revision + 1,
  ...over,
});

/** The ProposalRepository port's promises, for any implementation. */
export const proposalRepositoryContract = (name: string, subject: () => Promise<ProposalsSubject>) =>
  describe(`ProposalRepository contract: ${name}`, () => {
    it("gives back what was inserted, with its events; nothing for an unknown id", async () => {
      const { proposals, published } = await subject();
      const p = draft();
      const created = event("created");
      await proposals.insert(p, [created]);
      expect(await proposals.get(p.proposalId)).toEqual(p);
      expect(await published(created.detail.eventId)).toBe(true);
      expect(await proposals.get(freshId("prp"))).toBeUndefined();
    });

    it("refuses a second insert of the same id as a conflict, keeping the first and its events only", async () => {
      const { proposals, published } = await subject();
      const p = draft();
      await proposals.insert(p, []);
      const again = event("again");
      expect(await failureOf(proposals.insert({ ...p, title: "Other" }, [again]))).toMatch(
        /conflict|concurrent/,
      );
      expect((await proposals.get(p.proposalId))?.title).toBe(p.title);
      expect(await published(again.detail.eventId)).toBe(false);
    });

    it("updates from the revision read, and refuses a stale one as a concurrent modification", async () => {
      const { proposals, published } = await subject();
      const p = draft();
      await proposals.insert(p, []);
      const first = next(p, { title: "First edit" });
      await proposals.update(first, []);
      const stale = event("stale");
      expect(await failureOf(proposals.update(next(p, { title: "Lost edit" }), [stale]))).toBe(
        "concurrent modification",
      );
      expect(await proposals.get(p.proposalId)).toEqual(first);
      expect(await published(stale.detail.eventId)).toBe(false);
    });

    it("refuses an update of a proposal never inserted as a concurrent modification", async () => {
      const { proposals } = await subject();
      expect(await failureOf(proposals.update(next(draft()), []))).toBe("concurrent modification");
    });

    it("takes a claim once: a second proposal with the same claim is a conflict, and changes nothing", async () => {
      const { proposals, published } = await subject();
      const callId = freshId("call");
      const claim = { kind: "pi-per-call" as const, callId, piEmail: `${freshId("pi")}@uni.example` };
      const a = draft({ callId });
      const b = draft({ callId });
      await proposals.insert(a, []);
      await proposals.insert(b, []);
      await proposals.update(next(a, { status: "submitted" }), [], { claims: [claim] });
      const lost = event("lost");
      const refused = failureOf(
        proposals.update(next(b, { status: "submitted" }), [lost], { claims: [claim] }),
      );
      expect(await refused).toBe("conflict");
      expect(await proposals.get(b.proposalId)).toEqual(b);
      expect(await published(lost.detail.eventId)).toBe(false);
      // The same PI in another call is another claim.
      const c = draft();
      await proposals.insert(c, [], { claims: [{ ...claim, callId: c.callId }] });
      expect(await proposals.get(c.proposalId)).toEqual(c);
    });

    it("lets one of two racing submissions with the same claim through", async () => {
      const { proposals } = await subject();
      const callId = freshId("call");
      const claim = { kind: "pi-per-call" as const, callId, piEmail: `${freshId("pi")}@uni.example` };
      const racers = [draft({ callId }), draft({ callId }), draft({ callId })];
      for (const p of racers) await proposals.insert(p, []);
      const outcomes = await Promise.all(
        racers.map((p) =>
          failureOf(proposals.update(next(p, { status: "submitted" }), [], { claims: [claim] })),
        ),
      );
      expect(outcomes.filter((o) => o === "no error")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "conflict")).toHaveLength(2);
    });

    it("lists a call's proposals, by status if asked, and an applicant's", async () => {
      const { proposals } = await subject();
      const callId = freshId("call");
      const applicantId = freshId("app");
      const a = draft({ callId, applicantId });
      const b = draft({ callId, status: "submitted" });
      const elsewhere = draft({ applicantId });
      for (const p of [a, b, elsewhere]) await proposals.insert(p, []);
      expect(sortedBy(await proposals.listByCall(callId), "proposalId")).toEqual(
        sortedBy([a, b], "proposalId"),
      );
      expect(await proposals.listByCall(callId, "submitted")).toEqual([b]);
      expect(await proposals.listByCall(callId, "withdrawn")).toEqual([]);
      expect(sortedBy(await proposals.listByApplicant(applicantId), "proposalId")).toEqual(
        sortedBy([a, elsewhere], "proposalId"),
      );
    });
  });
