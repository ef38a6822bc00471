import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import { createProgram, getProgram, listPrograms, type ProgramInput } from "../src/program/index.js";
import { memoryPrograms } from "./fakes.js";

const clock = { now: () => new Date("2026-11-28T10:00:00Z") };
const staff: Actor = { userId: "sam", role: "staff" };
const alice: Actor = { userId: "alice", role: "applicant" };

const input: ProgramInput = {
  programId: "model-program",
  name: "AI Research Grants",
  pools: { cashCents: 6_000_000_000, creditsCents: 5_000_000_000 },
  caps: {
    maxGrantCashCents: 50_000_000,
    maxGrantCreditsCents: 50_000_000,
    maxPartnerCreditsCents: 1_100_000_000,
  },
  cluster: { chips: 40_000 },
  creditRate: { centsPerChipHour: 200 },
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error : undefined;
};

describe("program commands", () => {
  it("creates a program once: an identical retry returns it, a different one conflicts", async () => {
    // Prepare
    const { repo, events } = memoryPrograms();
    const deps = { programs: repo, clock };
    // Act
    const first = await createProgram(deps, staff, input);
    const again = await createProgram(deps, { userId: "other-staff", role: "staff" }, input);
    const changed = await errorOf(createProgram(deps, staff, { ...input, name: "Another name" }));
    // Assess
    expect(first.created).toBe(true);
    expect(first.program).toMatchObject({ programId: "model-program", description: "", createdBy: "sam" });
    expect(first.program.createdAt).toBe("2026-11-28T10:00:00.000Z");
    expect(again).toEqual({ program: first.program, created: false });
    expect(changed?.kind).toBe("conflict");
    expect(events).toEqual([
      {
        source: "allot.programs",
        detailType: "Program Created",
        detail: {
          eventId: "program:model-program:created",
          version: 1,
          occurredAt: "2026-11-28T10:00:00.000Z",
          data: { programId: "model-program" },
        },
      },
    ]);
  });

  it("answers a concurrent identical create that lost the race as a retry", async () => {
    const { repo } = memoryPrograms();
    const deps = { programs: repo, clock };
    const [a, b] = await Promise.all([createProgram(deps, staff, input), createProgram(deps, staff, input)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.program).toEqual(b.program);
  });

  it("names every problem at once, caps above their pools included", async () => {
    const { repo, items } = memoryPrograms();
    const error = await errorOf(
      createProgram({ programs: repo, clock }, staff, {
        ...input,
        programId: "Not A Slug",
        pools: { cashCents: 1_000, creditsCents: 2_000 },
        cluster: { chips: 0 },
        creditRate: { centsPerChipHour: 1.5 },
      }),
    );
    expect(error?.kind).toBe("validation");
    expect(error?.issues.map((i) => i.field).sort()).toEqual([
      "caps.maxGrantCashCents",
      "caps.maxGrantCreditsCents",
      "caps.maxPartnerCreditsCents",
      "cluster.chips",
      "creditRate.centsPerChipHour",
      "programId",
    ]);
    expect(items.size).toBe(0);
  });

  it("lets only staff create and list programs, and any role read one", async () => {
    const { repo } = memoryPrograms();
    const deps = { programs: repo, clock };
    expect((await errorOf(createProgram(deps, alice, input)))?.kind).toBe("forbidden");
    await createProgram(deps, staff, input);
    await createProgram(deps, staff, { ...input, programId: "another-program" });
    expect((await errorOf(listPrograms(deps, alice)))?.kind).toBe("forbidden");
    expect((await listPrograms(deps, staff)).map((p) => p.programId)).toEqual([
      "another-program",
      "model-program",
    ]);
    expect((await getProgram(deps, alice, "model-program")).caps.maxGrantCashCents).toBe(50_000_000);
    expect((await errorOf(getProgram(deps, alice, "missing")))?.kind).toBe("not_found");
  });
});
