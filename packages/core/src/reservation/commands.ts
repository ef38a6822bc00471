import type { Actor } from "../actor.js";
import type { AwardRepository } from "../award/ports.js";
import type { Award } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { durationSeconds } from "../duration.js";
import { conflict, DomainError, fieldIssuesOf, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import type { ProgramReader } from "../proposal/ports.js";
import type { UsageRepository } from "../usage/ports.js";
import {
  ReservationCancelled,
  ReservationGranted,
  ReservationQueued,
  ReservationReleased,
  ReservationResumed,
  ReservationSuspended,
} from "./events.js";
import type { ReservationGraceTimer, ReservationRepository } from "./ports.js";
import {
  HOUR_MS,
  holdCentsFor,
  hoursOf,
  type Reservation,
  ReservationRequest,
  type ReservationStatus,
  reservationIdFor,
} from "./schema.js";

export interface ReservationDeps {
  awards: Pick<AwardRepository, "get">;
  programs: ProgramReader;
  usage: Pick<UsageRepository, "totals">;
  reservations: ReservationRepository;
  clock: Clock;
}

const SYSTEM = "allot";
/** The cluster view reads at most a month of hours at once. */
export const MAX_VIEW_HOURS = 31 * 24;

const now = (deps: ReservationDeps) => deps.clock.now().toISOString();

const usageRecords = async (deps: ReservationDeps, awardId: string) =>
  (await deps.usage.totals(awardId)).byDay.reduce((n, d) => n + d.records, 0);

export const DEFAULT_GRACE_PERIOD = "PT2H";

/** When an unused grant is given back: the grace period after its window starts (or after a late grant). */
export const graceEndsAt = (r: Reservation, gracePeriod: string) => {
  const from = Math.max(Date.parse(r.startsAt), Date.parse(r.grantedAt ?? r.startsAt));
  return new Date(from + (durationSeconds(gracePeriod) ?? 0) * 1000).toISOString();
};

/**
 * Timer task at the end of the grace period: a granted reservation whose award has recorded no
 * usage since the grant gives its chips and hold back; the consumer of the release event tries
 * the queue. Usage records do not name a reservation, so any record of the award counts as use:
 * coarse, but it never releases a reservation that is being used. Idempotent: anything but
 * "granted" is left alone.
 */
export const releaseIfUnused = async (deps: ReservationDeps, awardId: string, reservationId: string) => {
  const r = await deps.reservations.get(awardId, reservationId);
  if (r?.status !== "granted") return { released: false, status: r?.status ?? "missing" };
  if (Date.parse(r.endsAt) <= deps.clock.now().getTime()) return { released: false, status: r.status };
  if ((await usageRecords(deps, awardId)) > (r.usageRecordsAtGrant ?? 0))
    return { released: false, status: r.status };
  const when = now(deps);
  const reason = "not used within the grace period";
  const after = moveTo(r, "released", SYSTEM, reason, when);
  try {
    await deps.reservations.release(after, "granted", [
      createEvent(ReservationReleased, `${r.reservationId}:released`, when, eventData(r)),
    ]);
  } catch (error) {
    // Cancelled, completed or suspended meanwhile: nothing left to release.
    if (error instanceof DomainError && error.kind === "conflict")
      return { released: false, status: "changed" };
    throw error;
  }
  return { released: true, status: "released" };
};

const eventData = (r: Reservation) => ({
  reservationId: r.reservationId,
  awardId: r.awardId,
  programId: r.programId,
  applicantId: r.applicantId,
  chips: r.chips,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
});

const moveTo = (r: Reservation, status: ReservationStatus, actor: string, reason: string, at: string) => ({
  ...r,
  status,
  history: [...r.history, { at, status, actor, reason }],
  revision: r.revision + 1,
});

const canSee = (actor: Actor, award: Award) =>
  actor.role === "staff" || (actor.role === "applicant" && award.applicantId === actor.userId);

const visibleAward = async (deps: ReservationDeps, actor: Actor, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award || !canSee(actor, award)) throw notFound(`Award ${awardId}`);
  return award;
};

const programOf = async (deps: ReservationDeps, programId: string) => {
  const program = await deps.programs.get(programId);
  if (!program) throw notFound(`Program ${programId}`);
  return program;
};

/**
 * What the award can still hold: its credits less what usage consumed and what other
 * reservations hold. The hold item's own condition is the atomic guard against concurrent
 * holds; this read adds consumption, which moves independently.
 */
const creditsShortfall = async (deps: ReservationDeps, award: Award, holdCents: number) => {
  const [{ consumedCents }, hold] = await Promise.all([
    deps.usage.totals(award.awardId),
    deps.reservations.hold(award.awardId),
  ]);
  const heldCents = hold?.heldCents ?? 0;
  const remaining = award.creditsCents - consumedCents - heldCents;
  return holdCents > remaining ? { heldCents, remaining } : undefined;
};

const notEnoughCredits = (heldCents: number, requested: number, remaining: number) =>
  conflict(
    `not enough credits: ${heldCents} held, ${requested} requested (${Math.max(0, remaining)} cents remain)`,
  );

/**
 * Reservations whose window ended give their hold back (and their past slots): from then on the
 * usage records of the window are what the award pays. Run lazily before the award's credits are
 * judged, so a finished reservation never keeps holding credits.
 */
export const settleEnded = async (deps: ReservationDeps, awardId: string) => {
  const at = deps.clock.now();
  const settled: string[] = [];
  for (const r of await deps.reservations.holding(awardId)) {
    if (Date.parse(r.endsAt) > at.getTime()) continue;
    try {
      await deps.reservations.release(
        moveTo(r, "completed", SYSTEM, "the window ended", at.toISOString()),
        r.status,
        [],
      );
      settled.push(r.reservationId);
    } catch (error) {
      // Settled or cancelled meanwhile by another request.
      if (!(error instanceof DomainError && error.kind === "conflict")) throw error;
    }
  }
  return settled;
};

/**
 * The stored reservation when a retried request asks for the same; a conflict naming the first
 * field that differs otherwise (a request id is not to be reused for another reservation).
 */
const sameRequest = (
  stored: Reservation,
  request: ReservationRequest,
  startsAt: string,
  endsAt: string,
): Reservation => {
  const asked = { chips: request.chips, startsAt, endsAt };
  for (const field of ["chips", "startsAt", "endsAt"] as const) {
    if (stored[field] === asked[field]) continue;
    throw new DomainError(
      "conflict",
      `Request ${request.requestId} already made reservation ${stored.reservationId} with another ${field}`,
      [
        {
          field,
          message: `was ${stored[field]} in the first request with this requestId, now ${asked[field]}`,
        },
      ],
    );
  }
  return stored;
};

/**
 * A grantee reserves chips of the program's cluster for `[startsAt, endsAt)`, whole hours.
 * Granted at once when every hour has the chips and the award the credits; queued (first come,
 * first served) when the cluster is short; refused (409) when the credits are. Idempotent by the
 * client's `requestId`: a retry answers 200 with the reservation the first request made.
 */
export const reserve = async (deps: ReservationDeps, actor: Actor, awardId: string, input: unknown) => {
  const parsed = ReservationRequest.safeParse(input);
  if (!parsed.success) {
    throw validationError("The reservation is invalid", fieldIssuesOf(parsed.error));
  }
  const request = parsed.data;
  const award = await deps.awards.get(awardId);
  if (!award || actor.role !== "applicant" || award.applicantId !== actor.userId)
    throw notFound(`Award ${awardId}`);
  const reservationId = reservationIdFor(awardId, request.requestId);
  const startsAt = new Date(request.startsAt).toISOString();
  const endsAt = new Date(request.endsAt).toISOString();
  // A retry answers with what the first request made, whatever became of it since.
  const retried = async () => {
    const stored = await deps.reservations.get(awardId, reservationId);
    return stored && { status: 200 as const, reservation: sameRequest(stored, request, startsAt, endsAt) };
  };
  const earlier = await retried();
  if (earlier) return earlier;
  if (award.status !== "active")
    throw conflict(`Award ${awardId} is ${award.status}; only active awards reserve`);
  const program = await programOf(deps, award.programId);
  const capacity = program.cluster.chips;
  if (request.chips > capacity) {
    throw validationError("The reservation is invalid", [
      { field: "chips", message: `the cluster has ${capacity} chips` },
    ]);
  }
  const at = deps.clock.now();
  if (Date.parse(request.endsAt) <= at.getTime()) {
    throw validationError("The reservation is invalid", [
      { field: "endsAt", message: "the window has passed" },
    ]);
  }
  const holdCents = holdCentsFor(request.chips, startsAt, endsAt, program.creditRate.centsPerChipHour);
  await settleEnded(deps, awardId);
  const short = await creditsShortfall(deps, award, holdCents);
  if (short) throw notEnoughCredits(short.heldCents, holdCents, short.remaining);
  await deps.reservations.syncCredits(awardId, award.creditsCents);

  const when = at.toISOString();
  const base: Reservation = {
    reservationId,
    requestId: request.requestId,
    awardId,
    programId: award.programId,
    applicantId: award.applicantId,
    chips: request.chips,
    startsAt,
    endsAt,
    holdCents,
    status: "granted",
    requestedAt: when,
    grantedAt: when,
    usageRecordsAtGrant: await usageRecords(deps, awardId),
    history: [{ at: when, status: "granted", actor: actor.userId, reason: "requested" }],
    revision: 1,
  };
  const outcome = await deps.reservations.grant({
    reservation: base,
    previous: null,
    capacity,
    creditsCents: award.creditsCents,
    events: [
      createEvent(ReservationGranted, `${base.reservationId}:granted`, when, {
        ...eventData(base),
        holdCents,
        fromQueue: false,
      }),
    ],
  });
  if (outcome.granted) return { status: 201 as const, reservation: base };
  if (outcome.reason === "credits")
    throw notEnoughCredits(outcome.heldCents, holdCents, outcome.availableCents);
  if (outcome.reason === "stale") {
    // The same request, concurrently, wrote it first.
    const first = await retried();
    if (first) return first;
    throw conflict(`Reservation ${base.reservationId} already exists`);
  }

  const { grantedAt: _g, ...rest } = base;
  const queued: Reservation = {
    ...rest,
    status: "queued",
    history: [
      { at: when, status: "queued", actor: actor.userId, reason: "the cluster is short at some hour" },
    ],
  };
  await deps.reservations.save(queued, null, [
    createEvent(ReservationQueued, `${queued.reservationId}:queued`, when, eventData(queued)),
  ]);
  // Chips freed between the refusal and the queueing would otherwise wait for the next release:
  // the queued event makes a consumer try the queue once more. Not inline: under a burst every
  // request would scan the whole queue and the answers would wait on each other.
  return { status: 202 as const, reservation: queued };
};

/**
 * Grants what the queue can now take, oldest request first; a request that still does not fit
 * keeps its place and later ones may pass it (chips free for them are not held back). Requests
 * whose window passed are cancelled, as are those the award's credits no longer cover.
 */
export const grantQueued = async (deps: ReservationDeps, programId: string) => {
  const queue = await deps.reservations.queued(programId);
  if (!queue.length) return [];
  const program = await programOf(deps, programId);
  const granted: string[] = [];
  for (const r of queue) {
    const at = deps.clock.now();
    const when = at.toISOString();
    const cancel = async (reason: string) => {
      try {
        await deps.reservations.save(moveTo(r, "cancelled", SYSTEM, reason, when), "queued", [
          createEvent(ReservationCancelled, `${r.reservationId}:cancelled`, when, {
            ...eventData(r),
            reason,
            freedChips: false,
          }),
        ]);
      } catch (error) {
        // Cancelled or granted meanwhile by another pass: nothing to do.
        if (!(error instanceof DomainError && error.kind === "conflict")) throw error;
      }
    };
    if (Date.parse(r.endsAt) <= at.getTime()) {
      await cancel("the window passed while queued");
      continue;
    }
    const award = await deps.awards.get(r.awardId);
    if (award?.status !== "active") continue;
    await settleEnded(deps, r.awardId);
    if (await creditsShortfall(deps, award, r.holdCents)) {
      await cancel("the award's credits no longer cover the hold");
      continue;
    }
    await deps.reservations.syncCredits(r.awardId, award.creditsCents);
    const next: Reservation = {
      ...moveTo(r, "granted", SYSTEM, "granted from the queue", when),
      grantedAt: when,
      usageRecordsAtGrant: await usageRecords(deps, r.awardId),
    };
    const outcome = await deps.reservations.grant({
      reservation: next,
      previous: "queued",
      capacity: program.cluster.chips,
      creditsCents: award.creditsCents,
      events: [
        createEvent(ReservationGranted, `${r.reservationId}:granted`, when, {
          ...eventData(r),
          holdCents: r.holdCents,
          fromQueue: true,
        }),
      ],
    });
    if (outcome.granted) granted.push(r.reservationId);
    else if (outcome.reason === "credits") await cancel("the award's credits no longer cover the hold");
  }
  return granted;
};

/**
 * The grantee or staff cancels: a queued request leaves the queue; a held one gives its chips and
 * hold back. Answers at once: the queue is tried by the consumer of the cancellation event, not
 * here, where a long queue would keep every cancel waiting. Idempotent: cancelling a cancelled
 * reservation (a retry, or a cancel racing another) answers with it, so the client knows it worked.
 */
export const cancelReservation = async (
  deps: ReservationDeps,
  actor: Actor,
  awardId: string,
  reservationId: string,
): Promise<Reservation> => {
  await visibleAward(deps, actor, awardId);
  const r = await deps.reservations.get(awardId, reservationId);
  if (!r) throw notFound(`Reservation ${reservationId}`);
  if (r.status === "cancelled") return r;
  if (r.status !== "queued" && r.status !== "granted" && r.status !== "suspended")
    throw conflict(`Reservation ${reservationId} is ${r.status}`);
  const when = now(deps);
  const reason = actor.role === "staff" ? "cancelled by staff" : "cancelled by the grantee";
  const after = moveTo(r, "cancelled", actor.userId, reason, when);
  const freedChips = r.status !== "queued";
  const events = [
    createEvent(ReservationCancelled, `${r.reservationId}:cancelled`, when, {
      ...eventData(r),
      reason,
      freedChips,
    }),
  ];
  try {
    if (freedChips) await deps.reservations.release(after, r.status, events);
    else await deps.reservations.save(after, "queued", events);
    return after;
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === "conflict")) throw error;
    // It moved meanwhile: another cancel won (answer with its result), or it was granted, released…
    const current = await deps.reservations.get(awardId, reservationId);
    if (current?.status === "cancelled") return current;
    throw error;
  }
};

/** `Credits Exhausted`: the award's granted reservations are suspended, keeping their chips and hold. */
export const suspendReservations = async (deps: ReservationDeps, awardId: string, eventId: string) => {
  const when = now(deps);
  const suspended: string[] = [];
  for (const r of await deps.reservations.holding(awardId)) {
    if (r.status !== "granted") continue;
    await deps.reservations.save(
      moveTo(r, "suspended", SYSTEM, "the award's credits are exhausted", when),
      "granted",
      [createEvent(ReservationSuspended, `${r.reservationId}:suspended:${eventId}`, when, eventData(r))],
    );
    suspended.push(r.reservationId);
  }
  return suspended;
};

/** A top-up (`Budget Committed`, kind "topup"): the hold learns the new credits, suspended reservations resume. */
export const resumeReservations = async (deps: ReservationDeps, awardId: string, eventId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) return [];
  await deps.reservations.syncCredits(awardId, award.creditsCents);
  const when = now(deps);
  const resumed: string[] = [];
  for (const r of await deps.reservations.holding(awardId)) {
    if (r.status !== "suspended") continue;
    await deps.reservations.save(moveTo(r, "granted", SYSTEM, "credits topped up", when), "suspended", [
      createEvent(ReservationResumed, `${r.reservationId}:resumed:${eventId}`, when, eventData(r)),
    ]);
    resumed.push(r.reservationId);
  }
  // Credits freed for queued requests of this award too.
  await grantQueued(deps, award.programId);
  return resumed;
};

export const listReservations = async (deps: ReservationDeps, actor: Actor, awardId: string) => {
  await visibleAward(deps, actor, awardId);
  const list = await deps.reservations.listByAward(awardId);
  return list.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
};

/** Staff: per hour of `[from, to)`, the chips reserved and free on the program's cluster. */
export const clusterView = async (
  deps: ReservationDeps,
  actor: Actor,
  programId: string,
  range: { from?: string; to?: string },
) => {
  if (actor.role !== "staff") throw notFound(`Program ${programId}`);
  const program = await programOf(deps, programId);
  const issues: Array<{ field: string; message: string }> = [];
  const time = (field: "from" | "to") => {
    const value = range[field];
    const t = value === undefined ? Number.NaN : Date.parse(value);
    if (Number.isNaN(t)) issues.push({ field, message: "must be an ISO date-time" });
    else if (t % HOUR_MS !== 0) issues.push({ field, message: "must be on the hour" });
    return t;
  };
  const from = time("from");
  const to = time("to");
  if (!issues.length && to <= from) issues.push({ field: "to", message: "must be after from" });
  if (!issues.length && (to - from) / HOUR_MS > MAX_VIEW_HOURS)
    issues.push({ field: "to", message: `at most ${MAX_VIEW_HOURS} hours at once` });
  if (issues.length) throw validationError("The range is invalid", issues);
  const hours = hoursOf(new Date(from).toISOString(), new Date(to).toISOString());
  const free = await deps.reservations.freeChips(programId, hours);
  const capacity = program.cluster.chips;
  return {
    programId,
    capacity,
    hours: hours.map((hour) => {
      const freeChips = free.get(hour) ?? capacity;
      return { hour, reservedChips: capacity - freeChips, freeChips };
    }),
  };
};

/**
 * Closeout: a closing award reserves nothing more. Its queued requests leave the queue and its
 * granted or suspended reservations give their chips and hold back (usage after the closeout
 * began is refused anyway), each with its cancellation event. Idempotent: what moved meanwhile
 * (cancelled, released, completed) is left alone.
 */
export const releaseForCloseout = async (deps: ReservationDeps, awardId: string) => {
  const when = now(deps);
  const reason = "the award is closing";
  const released: string[] = [];
  for (const r of await deps.reservations.listByAward(awardId)) {
    if (r.status !== "queued" && r.status !== "granted" && r.status !== "suspended") continue;
    const freedChips = r.status !== "queued";
    const after = moveTo(r, "cancelled", SYSTEM, reason, when);
    const events = [
      createEvent(ReservationCancelled, `${r.reservationId}:cancelled`, when, {
        ...eventData(r),
        reason,
        freedChips,
      }),
    ];
    try {
      if (freedChips) await deps.reservations.release(after, r.status, events);
      else await deps.reservations.save(after, "queued", events);
      released.push(r.reservationId);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === "conflict")) throw error;
    }
  }
  return { released };
};

/** Event consumer on a grant: arms the reservation's grace-period timer (idempotent by reservation). */
export const startGraceTimer = async (
  deps: ReservationDeps & { graceTimer: ReservationGraceTimer },
  awardId: string,
  reservationId: string,
) => {
  const reservation = await deps.reservations.get(awardId, reservationId);
  if (reservation?.status !== "granted") return;
  const program = await deps.programs.get(reservation.programId);
  await deps.graceTimer.start({
    awardId,
    reservationId,
    graceEndsAt: graceEndsAt(reservation, program?.reservationGracePeriod ?? DEFAULT_GRACE_PERIOD),
  });
};
