import { describe, expect, it } from "vitest";
import type { Award } from "../src/award/schema.js";
import {
  cancelReservation,
  clusterView,
  graceEndsAt,
  grantQueued,
  listReservations,
  type ReservationDeps,
  releaseForCloseout,
  releaseIfUnused,
  reservationIdFor,
  reserve,
  resumeReservations,
  startGraceTimer,
  suspendReservations,
} from "../src/reservation/index.js";
import { memoryReservations } from "./fakes.js";
import { program } from "./fixtures.js";

// A 100-chip cluster at 10 cents per chip-hour.
const prog = { ...program, cluster: { chips: 100 }, creditRate: { centsPerChipHour: 10 } };

const award = (awardId: string, applicantId: string, creditsCents = 1_000_000): Award =>
  ({
    awardId,
    proposalId: `prp_${awardId}`,
    programId: prog.programId,
    applicantId,
    creditsCents,
    status: "active",
  }) as Award;

const setup = () => {
  const mem = memoryReservations();
  const awards = new Map<string, Award>([
    ["a1", award("a1", "ann")],
    ["a2", award("a2", "bob")],
    ["a3", award("a3", "cat", 5_000)],
  ]);
  const consumed = new Map<string, number>();
  const records = new Map<string, number>();
  const deps: ReservationDeps = {
    awards: { get: async (id) => awards.get(id) },
    programs: { get: async (id) => (id === prog.programId ? prog : undefined) },
    usage: {
      totals: async (id) => ({
        consumedCents: consumed.get(id) ?? 0,
        byDay: [{ day: "2026-12-02", chargeCents: consumed.get(id) ?? 0, records: records.get(id) ?? 0 }],
      }),
    },
    reservations: mem.repo,
    clock: { now: () => new Date("2026-12-01T08:30:00Z") },
  };
  return { mem, awards, consumed, records, deps };
};

const ann = { userId: "ann", role: "applicant" as const };
const bob = { userId: "bob", role: "applicant" as const };
const cat = { userId: "cat", role: "applicant" as const };
const staff = { userId: "sam", role: "staff" as const };
let requests = 0;
/** A fresh client request id. */
const rid = () => `req-${++requests}`;
const window = (from: number, to: number) => ({
  startsAt: `2026-12-02T${String(from).padStart(2, "0")}:00:00Z`,
  endsAt: `2026-12-02T${String(to).padStart(2, "0")}:00:00Z`,
});

describe("reservations", () => {
  it("grants when every hour has the chips and holds chips × hours × rate", async () => {
    const { deps, mem } = setup();
    const out = await reserve(deps, ann, "a1", { requestId: rid(), chips: 60, ...window(10, 13) });
    expect(out.status).toBe(201);
    expect(out.reservation).toMatchObject({ status: "granted", holdCents: 60 * 3 * 10 });
    expect(mem.holds.get("a1")).toMatchObject({ heldCents: 1800 });
    expect(mem.events.map((e) => e.detailType)).toEqual(["Reservation Granted"]);
  });

  it("is idempotent by requestId: a retry returns the first reservation, another content is refused", async () => {
    const { deps, mem } = setup();
    const body = { requestId: "ann-run-1", chips: 60, ...window(10, 13) };
    const first = await reserve(deps, ann, "a1", body);
    expect(first.status).toBe(201);
    expect(first.reservation.reservationId).toBe(reservationIdFor("a1", "ann-run-1"));
    // The same request, with the window spelled in another offset: the same reservation, nothing taken twice.
    const again = await reserve(deps, ann, "a1", {
      ...body,
      startsAt: "2026-12-02T11:00:00+01:00",
    });
    expect(again.status).toBe(200);
    expect(again.reservation).toEqual(first.reservation);
    expect(mem.holds.get("a1")).toMatchObject({ heldCents: 1800 });
    expect(mem.events.filter((e) => e.detailType === "Reservation Granted")).toHaveLength(1);
    // Cancelled since: the retry still answers with it, as it is now.
    await cancelReservation(deps, ann, "a1", first.reservation.reservationId);
    const later = await reserve(deps, ann, "a1", body);
    expect(later).toMatchObject({ status: 200, reservation: { status: "cancelled" } });
    await expect(reserve(deps, ann, "a1", { ...body, chips: 61 })).rejects.toMatchObject({
      kind: "conflict",
      issues: [{ field: "chips" }],
    });
    await expect(reserve(deps, ann, "a1", { ...body, ...window(10, 14) })).rejects.toMatchObject({
      kind: "conflict",
      issues: [{ field: "endsAt" }],
    });
    expect((await reserve(deps, bob, "a2", { ...body })).status).toBe(201);
    await expect(reserve(deps, ann, "a1", { chips: 1, ...window(10, 11) })).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "requestId" }],
    });
    await expect(
      reserve(deps, ann, "a1", { requestId: "x".repeat(65), chips: 1, ...window(10, 11) }),
    ).rejects.toMatchObject({ kind: "validation", issues: [{ field: "requestId" }] });
  });

  it("validates whole hours, the 72-hour limit, the cluster's size and the window", async () => {
    const { deps } = setup();
    await expect(
      reserve(deps, ann, "a1", {
        requestId: rid(),
        chips: 1,
        startsAt: "2026-12-02T10:30:00Z",
        endsAt: "2026-12-02T11:00:00Z",
      }),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(
      reserve(deps, ann, "a1", {
        requestId: rid(),
        chips: 1,
        startsAt: "2026-12-02T00:00:00Z",
        endsAt: "2026-12-05T01:00:00Z",
      }),
    ).rejects.toMatchObject({ kind: "validation", issues: [{ field: "endsAt" }] });
    await expect(
      reserve(deps, ann, "a1", { requestId: rid(), chips: 101, ...window(10, 11) }),
    ).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "chips" }],
    });
    await expect(
      reserve(deps, ann, "a1", {
        requestId: rid(),
        chips: 1,
        startsAt: "2026-11-30T10:00:00Z",
        endsAt: "2026-11-30T11:00:00Z",
      }),
    ).rejects.toMatchObject({ kind: "validation" });
  });

  it("only the award's grantee reserves, and only on an active award", async () => {
    const { deps, awards } = setup();
    await expect(
      reserve(deps, bob, "a1", { requestId: rid(), chips: 1, ...window(10, 11) }),
    ).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(
      reserve(deps, staff, "a1", { requestId: rid(), chips: 1, ...window(10, 11) }),
    ).rejects.toMatchObject({
      kind: "not_found",
    });
    awards.set("a1", { ...award("a1", "ann"), status: "suspended" });
    await expect(
      reserve(deps, ann, "a1", { requestId: rid(), chips: 1, ...window(10, 11) }),
    ).rejects.toMatchObject({
      kind: "conflict",
    });
  });

  it("queues when any hour is short, and grants from the queue FIFO when chips are released", async () => {
    const { deps, mem } = setup();
    const first = await reserve(deps, ann, "a1", { requestId: rid(), chips: 70, ...window(10, 12) });
    // Overlaps only the hour 11–12: short there.
    const second = await reserve(deps, bob, "a2", { requestId: rid(), chips: 40, ...window(11, 14) });
    const third = await reserve(deps, bob, "a2", { requestId: rid(), chips: 35, ...window(11, 12) });
    expect(second.status).toBe(202);
    expect(third.status).toBe(202);
    expect(second.reservation.status).toBe("queued");
    // A request that fits passes the queue.
    expect((await reserve(deps, bob, "a2", { requestId: rid(), chips: 30, ...window(11, 12) })).status).toBe(
      201,
    );

    await cancelReservation(deps, ann, "a1", first.reservation.reservationId);
    // The cancel answers at once: the queue is the consumer's, on the cancellation event.
    expect((await listReservations(deps, bob, "a2")).map((r) => r.status)).toEqual([
      "queued",
      "queued",
      "granted",
    ]);
    expect(mem.events.at(-1)).toMatchObject({
      detailType: "Reservation Cancelled",
      detail: { data: { freedChips: true } },
    });
    await grantQueued(deps, prog.programId);
    const after = await listReservations(deps, bob, "a2");
    expect(after.map((r) => [r.chips, r.status])).toEqual([
      [40, "granted"],
      [35, "queued"],
      [30, "granted"],
    ]);
    // 40 + 30 at 11–12 leaves 30: the 35 waits.
    expect(
      mem.events.filter((e) => e.detailType === "Reservation Granted").map((e) => e.detail.data),
    ).toContainEqual(expect.objectContaining({ chips: 40, fromQueue: true }));
    expect(
      (
        await clusterView(deps, staff, prog.programId, {
          from: window(10, 13).startsAt,
          to: window(10, 13).endsAt,
        })
      ).hours,
    ).toEqual([
      { hour: "2026-12-02T10:00:00.000Z", reservedChips: 0, freeChips: 100 },
      { hour: "2026-12-02T11:00:00.000Z", reservedChips: 70, freeChips: 30 },
      { hour: "2026-12-02T12:00:00.000Z", reservedChips: 40, freeChips: 60 },
    ]);
  });

  it("refuses with the numbers when the credits are short, counting consumption and other holds", async () => {
    const { deps, consumed } = setup();
    // a3 has 5,000 cents; 20 chips × 10 h × 10 = 2,000.
    await reserve(deps, cat, "a3", { requestId: rid(), chips: 20, ...window(0, 10) });
    consumed.set("a3", 1_500);
    await expect(
      reserve(deps, cat, "a3", { requestId: rid(), chips: 20, ...window(10, 20) }),
    ).rejects.toThrow("not enough credits: 2000 held, 2000 requested (1500 cents remain)");
  });

  it("cancel of a queued request just leaves the queue; others' awards are invisible", async () => {
    const { deps } = setup();
    await reserve(deps, ann, "a1", { requestId: rid(), chips: 100, ...window(10, 11) });
    const q = await reserve(deps, bob, "a2", { requestId: rid(), chips: 1, ...window(10, 11) });
    await expect(cancelReservation(deps, ann, "a2", q.reservation.reservationId)).rejects.toMatchObject({
      kind: "not_found",
    });
    const cancelled = await cancelReservation(deps, staff, "a2", q.reservation.reservationId);
    expect(cancelled.status).toBe("cancelled");
    // A repeated cancel (a client retry) answers with the cancelled reservation.
    expect(await cancelReservation(deps, bob, "a2", q.reservation.reservationId)).toEqual(cancelled);
  });

  it("a repeated or concurrent cancel answers with the cancelled reservation and releases once", async () => {
    const { deps, mem } = setup();
    const r = await reserve(deps, ann, "a1", { requestId: rid(), chips: 60, ...window(10, 12) });
    const id = r.reservation.reservationId;
    const [one, two] = await Promise.all([
      cancelReservation(deps, ann, "a1", id),
      cancelReservation(deps, ann, "a1", id),
    ]);
    expect(one).toEqual(two);
    expect(one.status).toBe("cancelled");
    expect(await cancelReservation(deps, staff, "a1", id)).toEqual(one);
    expect(mem.events.filter((e) => e.detailType === "Reservation Cancelled")).toHaveLength(1);
    expect(mem.holds.get("a1")).toMatchObject({ heldCents: 0 });
    expect(mem.slots.get(`${prog.programId}#2026-12-02T10:00:00.000Z`)).toBe(100);
    // A reservation that ended another way is not cancelled after the fact.
    const done = await reserve(deps, ann, "a1", { requestId: rid(), chips: 10, ...window(0, 1) });
    deps.clock = { now: () => new Date("2026-12-02T02:00:00Z") };
    await reserve(deps, ann, "a1", { requestId: rid(), chips: 10, ...window(5, 6) });
    await expect(cancelReservation(deps, ann, "a1", done.reservation.reservationId)).rejects.toMatchObject({
      kind: "conflict",
      message: expect.stringMatching(/is completed/),
    });
  });

  it("a queued request whose window passed is cancelled, not granted", async () => {
    const { deps, mem } = setup();
    const full = await reserve(deps, ann, "a1", { requestId: rid(), chips: 100, ...window(10, 11) });
    const q = await reserve(deps, bob, "a2", { requestId: rid(), chips: 10, ...window(10, 11) });
    deps.clock = { now: () => new Date("2026-12-02T12:00:00Z") };
    await mem.repo.release({ ...full.reservation, status: "cancelled", revision: 2 }, "granted", []);
    await grantQueued(deps, prog.programId);
    expect((await mem.repo.get("a2", q.reservation.reservationId))?.status).toBe("cancelled");
  });

  it("exhaustion suspends the award's granted reservations and a top-up resumes them", async () => {
    const { deps, awards, mem } = setup();
    const r = await reserve(deps, ann, "a1", { requestId: rid(), chips: 10, ...window(10, 12) });
    expect(await suspendReservations(deps, "a1", "ev1")).toEqual([r.reservation.reservationId]);
    expect(await suspendReservations(deps, "a1", "ev1")).toEqual([]);
    expect((await mem.repo.get("a1", r.reservation.reservationId))?.status).toBe("suspended");
    awards.set("a1", { ...award("a1", "ann"), creditsCents: 2_000_000 });
    expect(await resumeReservations(deps, "a1", "ev2")).toEqual([r.reservation.reservationId]);
    expect((await mem.repo.get("a1", r.reservation.reservationId))?.status).toBe("granted");
    expect(mem.holds.get("a1")).toMatchObject({ creditsCents: 2_000_000, availableCents: 2_000_000 - 200 });
    // Cancelling a suspended one gives its chips back too.
    await suspendReservations(deps, "a1", "ev3");
    await cancelReservation(deps, ann, "a1", r.reservation.reservationId);
    expect(mem.holds.get("a1")).toMatchObject({ heldCents: 0 });
  });

  it("a reservation whose window ended gives its hold back before credits are judged", async () => {
    const { deps, mem } = setup();
    // a3: 5,000 cents; 20 chips × 10 h × 10 = 2,000 each: two fit, a third does not.
    const done = await reserve(deps, cat, "a3", { requestId: rid(), chips: 20, ...window(0, 10) });
    await reserve(deps, cat, "a3", { requestId: rid(), chips: 20, ...window(10, 20) });
    await expect(
      reserve(deps, cat, "a3", {
        requestId: rid(),
        chips: 20,
        startsAt: "2026-12-03T00:00:00Z",
        endsAt: "2026-12-03T10:00:00Z",
      }),
    ).rejects.toMatchObject({ kind: "conflict" });
    deps.clock = { now: () => new Date("2026-12-02T10:00:00Z") };
    const third = await reserve(deps, cat, "a3", {
      requestId: rid(),
      chips: 20,
      startsAt: "2026-12-03T00:00:00Z",
      endsAt: "2026-12-03T10:00:00Z",
    });
    expect(third.status).toBe(201);
    expect((await mem.repo.get("a3", done.reservation.reservationId))?.status).toBe("completed");
    expect(mem.holds.get("a3")).toMatchObject({ heldCents: 4_000 });
  });

  it("the cluster view is for staff, on the hour, and bounded", async () => {
    const { deps } = setup();
    await expect(
      clusterView(deps, ann, prog.programId, { from: window(0, 1).startsAt, to: window(0, 1).endsAt }),
    ).rejects.toMatchObject({ kind: "not_found" });
    await expect(
      clusterView(deps, staff, prog.programId, { from: "2026-12-01T00:30:00Z", to: "2026-12-02T00:00:00Z" }),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(
      clusterView(deps, staff, prog.programId, { from: "2026-01-01T00:00:00Z", to: "2026-12-02T00:00:00Z" }),
    ).rejects.toMatchObject({ kind: "validation" });
  });

  it("gives back a grant its award did not use within the grace period, and keeps a used one", async () => {
    const { deps, records } = setup();
    const unused = await reserve(deps, ann, "a1", { requestId: rid(), chips: 30, ...window(10, 12) });
    const used = await reserve(deps, bob, "a2", { requestId: rid(), chips: 30, ...window(10, 12) });
    expect(graceEndsAt(unused.reservation, "PT2H")).toBe("2026-12-02T12:00:00.000Z");
    records.set("a2", 3);
    expect(await releaseIfUnused(deps, "a1", unused.reservation.reservationId)).toEqual({
      released: true,
      status: "released",
    });
    expect(await releaseIfUnused(deps, "a1", unused.reservation.reservationId)).toEqual({
      released: false,
      status: "released",
    });
    expect(await releaseIfUnused(deps, "a2", used.reservation.reservationId)).toEqual({
      released: false,
      status: "granted",
    });
  });

  it("arms the grace timer of a grant once per reservation, from the program's period, and not for a missing one", async () => {
    const { deps } = setup();
    const started: Array<{ reservationId: string; graceEndsAt: string }> = [];
    const timerDeps = {
      ...deps,
      graceTimer: { start: async (input: (typeof started)[number]) => void started.push(input) },
    };
    const granted = await reserve(deps, ann, "a1", { requestId: rid(), chips: 30, ...window(10, 12) });
    await startGraceTimer(timerDeps, "a1", granted.reservation.reservationId);
    await startGraceTimer(timerDeps, "a1", "rsv_missing");
    expect(started).toEqual([
      {
        awardId: "a1",
        reservationId: granted.reservation.reservationId,
        graceEndsAt: "2026-12-02T12:00:00.000Z",
      },
    ]);
  });
});

describe("reservations of a closing award", () => {
  it("are refused anew, and the queued and held ones are cancelled once, chips and hold given back", async () => {
    const { deps, mem, awards } = setup();
    await reserve(deps, ann, "a1", { requestId: rid(), chips: 60, ...window(10, 12) });
    await reserve(deps, bob, "a2", { requestId: rid(), chips: 10, ...window(10, 12) });
    const queued = await reserve(deps, ann, "a1", { requestId: rid(), chips: 50, ...window(11, 12) });
    expect(queued.status).toBe(202);
    awards.set("a1", { ...award("a1", "ann"), status: "closing" });
    await expect(
      reserve(deps, ann, "a1", { requestId: rid(), chips: 1, ...window(14, 15) }),
    ).rejects.toMatchObject({ kind: "conflict", message: "Award a1 is closing; only active awards reserve" });
    const first = await releaseForCloseout(deps, "a1");
    expect(first.released).toHaveLength(2);
    expect(await releaseForCloseout(deps, "a1")).toEqual({ released: [] });
    const mine = await listReservations(deps, ann, "a1");
    expect(mine.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
    expect(mem.holds.get("a1")).toMatchObject({ heldCents: 0 });
    const cancelled = mem.events.filter((e) => e.detailType === "Reservation Cancelled");
    expect(cancelled.map((e) => (e.detail.data as { freedChips: boolean }).freedChips).sort()).toEqual([
      false,
      true,
    ]);
    // The other award's reservation is untouched.
    expect((await listReservations(deps, bob, "a2")).map((r) => r.status)).toEqual(["granted"]);
  });
});
