import { hoursOf, type Reservation, type ReservationRepository } from "@allot/core/reservation";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published } from "./support.js";

export interface ReservationsSubject {
  reservations: ReservationRepository;
  published: Published;
}

const CAPACITY = 100;
const CREDITS = 10_000;

// A window of `hours` whole hours on a day no other case uses (each case has its own program).
const reservation = (over: Partial<Reservation> & { hours?: number } = {}): Reservation => {
  const { hours = 2, ...rest } = over;
  const startsAt = rest.startsAt ?? "2027-02-01T10:00:00.000Z";
  const chips = rest.chips ?? 40;
  return {
    reservationId: freshId("rsv"),
    awardId: freshId("awd"),
    programId: freshId("prog"),
    applicantId: freshId("app"),
    chips,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + hours * 3_600_000).toISOString(),
    holdCents: chips * hours * 10,
    status: "granted",
    requestedAt: "2027-01-20T00:00:00.000Z",
    grantedAt: "2027-01-20T00:00:00.000Z",
    history: [{ at: "2027-01-20T00:00:00.000Z", status: "granted", actor: "app", reason: "requested" }],
    revision: 1,
    ...rest,
  };
};

const moved = (r: Reservation, status: Reservation["status"]): Reservation => ({
  ...r,
  status,
  history: [...r.history, { at: "2027-01-21T00:00:00.000Z", status, actor: "app", reason: status }],
  revision: r.revision + 1,
});

/** The ReservationRepository port's promises, for any implementation. */
export const reservationRepositoryContract = (name: string, subject: () => Promise<ReservationsSubject>) =>
  describe(`ReservationRepository contract: ${name}`, () => {
    it("grants: takes each hour's chips and the award's hold, writes the reservation with its events", async () => {
      const { reservations, published } = await subject();
      const r = reservation({ hours: 3 });
      const granted = event("granted");
      expect(
        await reservations.grant({
          reservation: r,
          previous: null,
          capacity: CAPACITY,
          creditsCents: CREDITS,
          events: [granted],
        }),
      ).toEqual({ granted: true });
      expect(await reservations.get(r.awardId, r.reservationId)).toEqual(r);
      expect(await published(granted.detail.eventId)).toBe(true);
      const hours = hoursOf(r.startsAt, r.endsAt);
      const free = await reservations.freeChips(r.programId, [...hours, "2027-02-01T20:00:00.000Z"]);
      expect(Object.fromEntries(free)).toEqual(Object.fromEntries(hours.map((h) => [h, CAPACITY - r.chips])));
      expect(await reservations.hold(r.awardId)).toEqual({
        awardId: r.awardId,
        creditsCents: CREDITS,
        heldCents: r.holdCents,
        availableCents: CREDITS - r.holdCents,
      });
      expect(await reservations.holding(r.awardId)).toEqual([r]);
    });

    it("refuses a grant an hour cannot hold, taking nothing", async () => {
      const { reservations, published } = await subject();
      const first = reservation({ chips: 70, hours: 2 });
      await reservations.grant({
        reservation: first,
        previous: null,
        capacity: CAPACITY,
        creditsCents: CREDITS,
        events: [],
      });
      // Overlaps the first window by its second hour only.
      const late = reservation({
        programId: first.programId,
        chips: 40,
        startsAt: "2027-02-01T11:00:00.000Z",
        hours: 2,
      });
      const lost = event("lost");
      expect(
        await reservations.grant({
          reservation: late,
          previous: null,
          capacity: CAPACITY,
          creditsCents: CREDITS,
          events: [lost],
        }),
      ).toEqual({ granted: false, reason: "capacity" });
      expect(await reservations.get(late.awardId, late.reservationId)).toBeUndefined();
      expect(await reservations.hold(late.awardId)).toBeUndefined();
      expect(await published(lost.detail.eventId)).toBe(false);
      const free = await reservations.freeChips(first.programId, hoursOf(late.startsAt, late.endsAt));
      expect(free.get("2027-02-01T11:00:00.000Z")).toBe(30);
    });

    it("refuses a grant the award's credits cannot hold, saying what is held and left", async () => {
      const { reservations } = await subject();
      const first = reservation({ chips: 10, hours: 2 });
      await reservations.grant({
        reservation: first,
        previous: null,
        capacity: CAPACITY,
        creditsCents: 500,
        events: [],
      });
      const more = reservation({ awardId: first.awardId, programId: first.programId, chips: 20, hours: 2 });
      expect(
        await reservations.grant({
          reservation: more,
          previous: null,
          capacity: CAPACITY,
          creditsCents: 500,
          events: [],
        }),
      ).toEqual({ granted: false, reason: "credits", heldCents: 200, availableCents: 300 });
      expect(await reservations.get(more.awardId, more.reservationId)).toBeUndefined();
    });

    it("grants a queued reservation once, a retry of that grant included; one cancelled meanwhile is stale", async () => {
      const { reservations } = await subject();
      const queued = reservation({ status: "queued", grantedAt: undefined });
      await reservations.save(queued, null, []);
      expect((await reservations.queued(queued.programId)).map((r) => r.reservationId)).toEqual([
        queued.reservationId,
      ]);
      const input = {
        reservation: moved(queued, "granted"),
        previous: "queued" as const,
        capacity: CAPACITY,
        creditsCents: CREDITS,
        events: [],
      };
      expect(await reservations.grant(input)).toEqual({ granted: true });
      // The same grant again (a retry after a lost answer) finds it stored as planned.
      expect(await reservations.grant(input)).toEqual({ granted: true });
      const free = await reservations.freeChips(queued.programId, hoursOf(queued.startsAt, queued.endsAt));
      expect([...free.values()]).toEqual([CAPACITY - queued.chips, CAPACITY - queued.chips]);
      expect((await reservations.hold(queued.awardId))?.heldCents).toBe(queued.holdCents);
      expect(await reservations.queued(queued.programId)).toEqual([]);

      const other = reservation({ programId: queued.programId, status: "queued", grantedAt: undefined });
      await reservations.save(other, null, []);
      await reservations.save(moved(other, "cancelled"), "queued", []);
      expect(
        await reservations.grant({ ...input, reservation: moved(other, "granted"), previous: "queued" }),
      ).toEqual({ granted: false, reason: "stale" });
      expect((await reservations.get(other.awardId, other.reservationId))?.status).toBe("cancelled");
    });

    it("lists the program's queue oldest request first", async () => {
      const { reservations } = await subject();
      const programId = freshId("prog");
      const later = reservation({ programId, status: "queued", requestedAt: "2027-01-20T02:00:00.000Z" });
      const earlier = reservation({ programId, status: "queued", requestedAt: "2027-01-20T01:00:00.000Z" });
      await reservations.save(later, null, []);
      await reservations.save(earlier, null, []);
      expect((await reservations.queued(programId)).map((r) => r.reservationId)).toEqual([
        earlier.reservationId,
        later.reservationId,
      ]);
    });

    it("releases: gives the chips and the hold back; a stale release is a concurrent modification", async () => {
      const { reservations, published } = await subject();
      const r = reservation();
      await reservations.grant({
        reservation: r,
        previous: null,
        capacity: CAPACITY,
        creditsCents: CREDITS,
        events: [],
      });
      const cancelled = moved(r, "cancelled");
      const released = event("released");
      await reservations.release(cancelled, "granted", [released]);
      expect(await reservations.get(r.awardId, r.reservationId)).toEqual(cancelled);
      expect(await published(released.detail.eventId)).toBe(true);
      const free = await reservations.freeChips(r.programId, hoursOf(r.startsAt, r.endsAt));
      expect([...free.values()]).toEqual([CAPACITY, CAPACITY]);
      expect(await reservations.hold(r.awardId)).toMatchObject({ heldCents: 0, availableCents: CREDITS });
      expect(await reservations.holding(r.awardId)).toEqual([]);
      expect(await failureOf(reservations.release(moved(r, "released"), "granted", []))).toBe(
        "concurrent modification",
      );
    });

    it("saves a change that moves nothing from the status read; a stale one is a concurrent modification", async () => {
      const { reservations } = await subject();
      const r = reservation();
      await reservations.grant({
        reservation: r,
        previous: null,
        capacity: CAPACITY,
        creditsCents: CREDITS,
        events: [],
      });
      const suspended = moved(r, "suspended");
      await reservations.save(suspended, "granted", []);
      expect(await reservations.get(r.awardId, r.reservationId)).toEqual(suspended);
      expect(await reservations.holding(r.awardId)).toEqual([suspended]);
      expect(await failureOf(reservations.save(moved(r, "completed"), "granted", []))).toBe(
        "concurrent modification",
      );
      expect(await failureOf(reservations.save(r, null, []))).toBe("concurrent modification");
    });

    it("raises the hold's credits on a top-up, never lowers them, and ignores an award with no hold", async () => {
      const { reservations } = await subject();
      const r = reservation({ chips: 10, hours: 1 });
      await reservations.grant({
        reservation: r,
        previous: null,
        capacity: CAPACITY,
        creditsCents: 1_000,
        events: [],
      });
      await reservations.syncCredits(r.awardId, 3_000);
      expect(await reservations.hold(r.awardId)).toEqual({
        awardId: r.awardId,
        creditsCents: 3_000,
        heldCents: 100,
        availableCents: 2_900,
      });
      await reservations.syncCredits(r.awardId, 2_000);
      expect((await reservations.hold(r.awardId))?.creditsCents).toBe(3_000);
      const none = freshId("awd");
      await reservations.syncCredits(none, 5_000);
      expect(await reservations.hold(none)).toBeUndefined();
    });
  });
