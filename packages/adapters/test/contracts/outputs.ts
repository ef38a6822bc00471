import type { Output, OutputRepository } from "@allot/core/output";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published, sortedBy } from "./support.js";

export interface OutputsSubject {
  outputs: OutputRepository;
  published: Published;
}

const output = (over: Partial<Output> = {}): Output => ({
  outputId: freshId("out"),
  awardId: freshId("awd"),
  programId: freshId("prog"),
  applicantId: freshId("app"),
  kind: "repository",
  identity: `github:${freshId("o")}/repo`,
  repository: { owner: "o", name: "repo", url: "https://github.com/o/repo" },
  status: "pending",
  registeredAt: "2027-01-01T00:00:00.000Z",
  registeredBy: "app",
  history: [
    { at: "2027-01-01T00:00:00.000Z", kind: "registered", status: "pending", actor: "app", reason: "r" },
  ],
  revision: 1,
  ...over,
});

/** The OutputRepository port's promises, for any implementation. */
export const outputRepositoryContract = (name: string, subject: () => Promise<OutputsSubject>) =>
  describe(`OutputRepository contract: ${name}`, () => {
    it("creates an output once with its events; a second create of the id writes nothing", async () => {
      const { outputs, published } = await subject();
      const o = output();
      const first = event("registered");
      expect(await outputs.create(o, [first])).toBe(true);
      expect(await outputs.get(o.awardId, o.outputId)).toEqual(o);
      expect(await published(first.detail.eventId)).toBe(true);
      const again = event("again");
      expect(await outputs.create({ ...o, registeredBy: "other" }, [again])).toBe(false);
      expect((await outputs.get(o.awardId, o.outputId))?.registeredBy).toBe("app");
      expect(await published(again.detail.eventId)).toBe(false);
    });

    it("saves under the revision read, else a concurrent modification and no events", async () => {
      const { outputs, published } = await subject();
      const o = output();
      await outputs.create(o, []);
      const verified = { ...o, status: "verified" as const, revision: 2 };
      const e = event("verified");
      await outputs.save(verified, [e]);
      expect(await outputs.get(o.awardId, o.outputId)).toEqual(verified);
      expect(await published(e.detail.eventId)).toBe(true);
      const stale = event("stale");
      expect(await failureOf(outputs.save({ ...o, status: "rejected", revision: 2 }, [stale]))).toBe(
        "concurrent modification",
      );
      expect(await published(stale.detail.eventId)).toBe(false);
    });

    it("lists by award, by program and in all", async () => {
      const { outputs } = await subject();
      const programId = freshId("prog");
      const a = output({ programId });
      const b = output({
        programId,
        awardId: a.awardId,
        kind: "paper",
        identity: "doi:10.1/x",
        repository: undefined,
        paper: { kind: "doi", doi: "10.1/x" },
      });
      const c = output({ programId });
      for (const o of [a, b, c]) await outputs.create(o, []);
      expect(sortedBy(await outputs.listForAward(a.awardId), "outputId")).toEqual(
        sortedBy([a, b], "outputId"),
      );
      expect(sortedBy(await outputs.listForProgram(programId), "outputId")).toEqual(
        sortedBy([a, b, c], "outputId"),
      );
      const all = (await outputs.listAll()).map((o) => o.outputId);
      expect(all).toEqual(expect.arrayContaining([a.outputId, b.outputId, c.outputId]));
    });

    it("records an obligation overdue once per due date, with its event", async () => {
      const { outputs, published } = await subject();
      const awardId = freshId("awd");
      const first = event("overdue");
      const overdue = {
        awardId,
        obligation: "paper" as const,
        dueAt: "2027-06-01T00:00:00.000Z",
        at: "2027-06-01T00:00:01.000Z",
      };
      expect(await outputs.recordOverdue(overdue, [first])).toBe(true);
      expect(await published(first.detail.eventId)).toBe(true);
      const again = event("overdue-again");
      expect(await outputs.recordOverdue(overdue, [again])).toBe(false);
      expect(await published(again.detail.eventId)).toBe(false);
      expect(await outputs.recordOverdue({ ...overdue, dueAt: "2027-07-01T00:00:00.000Z" }, [])).toBe(true);
    });
  });
