import type { PartnerInstitutionRecord, ProgramRecord, ProgramRepository } from "@allot/core/program";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published } from "./support.js";

export interface ProgramsSubject {
  programs: ProgramRepository;
  published: Published;
}

const program = (over: Partial<ProgramRecord> = {}): ProgramRecord =>
  ({
    programId: freshId("prog"),
    name: "Contract program",
    pools: { cashCents: 1_000_000, creditsCents: 1_000_000 },
    caps: { maxGrantCashCents: 500_000, maxGrantCreditsCents: 500_000, maxPartnerCreditsCents: 900_000 },
    cluster: { chips: 100 },
    creditRate: { centsPerChipHour: 10 },
    createdAt: "2027-01-01T00:00:00.000Z",
    createdBy: "sam",
    ...over,
  }) as ProgramRecord;

const institution = (programId: string, institutionId: string, revision = 1): PartnerInstitutionRecord =>
  ({
    programId,
    institutionId,
    name: `University ${institutionId}`,
    aliases: [],
    creditCapCents: 100_000,
    updatedAt: "2027-01-01T00:00:00.000Z",
    updatedBy: "sam",
    revision,
  }) as PartnerInstitutionRecord;

/** The ProgramRepository port's promises, for any implementation. */
export const programRepositoryContract = (name: string, subject: () => Promise<ProgramsSubject>) =>
  describe(`ProgramRepository contract: ${name}`, () => {
    it("gives back what was inserted, with its events; refuses the same id again as a conflict", async () => {
      const { programs, published } = await subject();
      const p = program();
      const created = event("created");
      await programs.insert(p, [created]);
      expect(await programs.get(p.programId)).toEqual(p);
      expect(await published(created.detail.eventId)).toBe(true);
      expect(await failureOf(programs.insert({ ...p, name: "Other" }, []))).toBe("conflict");
      expect(await programs.get(p.programId)).toEqual(p);
      expect(await programs.get(freshId("prog"))).toBeUndefined();
    });

    it("lists every program by id", async () => {
      const { programs } = await subject();
      const mine = [program(), program(), program()];
      for (const p of mine) await programs.insert(p, []);
      const ids = new Set(mine.map((p) => p.programId));
      const listed = (await programs.list()).filter((p) => ids.has(p.programId));
      expect(listed.map((p) => p.programId)).toEqual([...ids].sort());
    });

    it("writes an institution from the revision read; a stale one is a concurrent modification", async () => {
      const { programs, published } = await subject();
      const p = program();
      await programs.insert(p, []);
      const first = institution(p.programId, "northfield");
      await programs.putInstitution(first, null, [event("saved")]);
      expect(await programs.getInstitution(p.programId, "northfield")).toEqual(first);
      expect(await failureOf(programs.putInstitution(first, null, []))).toBe("concurrent modification");
      const second = { ...institution(p.programId, "northfield", 2), name: "Northfield University" };
      await programs.putInstitution(second, 1, []);
      const stale = event("stale");
      expect(await failureOf(programs.putInstitution({ ...second, revision: 3 }, 1, [stale]))).toBe(
        "concurrent modification",
      );
      expect(await programs.getInstitution(p.programId, "northfield")).toEqual(second);
      expect(await published(stale.detail.eventId)).toBe(false);
    });

    it("lists a program's institutions by id, and no other program's", async () => {
      const { programs } = await subject();
      const p = program();
      const other = program();
      await programs.insert(p, []);
      await programs.insert(other, []);
      for (const id of ["southgate", "northfield"])
        await programs.putInstitution(institution(p.programId, id), null, []);
      await programs.putInstitution(institution(other.programId, "eastbury"), null, []);
      expect((await programs.listInstitutions(p.programId)).map((i) => i.institutionId)).toEqual([
        "northfield",
        "southgate",
      ]);
      expect(await programs.getInstitution(p.programId, "eastbury")).toBeUndefined();
    });
  });
