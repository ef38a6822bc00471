import { ConcurrentModification, conflict } from "@allot/core";
import {
  type GrantOutcome,
  hoursOf,
  type Reservation,
  type ReservationHold,
  type ReservationRepository,
  type ReservationStatus,
} from "@allot/core/reservation";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { failedConditions } from "./errors.js";
import { entityOf, reservationKeys } from "./keys.js";
import { outboxPut } from "./outbox.js";
import { queryPartition } from "./query.js";
import { type RetryPolicy, retryPolicy } from "./retry.js";
import { sendTransaction, type TransactItem } from "./transact.js";

// Layout, all in the one table (keys.ts spells these keys):
//   CLUSTER#<programId>#<hour ISO> / SLOT       availableChips of one hour of the program's cluster;
//                                                bookedChips: the chips granted reservations held
//                                                when the hour began (the utilization report's
//                                                "reserved"; a release gives back only the hours
//                                                not begun, so the past stays as it was)
//   HOLD#<awardId>                 / HOLD       creditsCents, heldCents, availableCents of an award
//   AWARD#<awardId>                / RESERVATION#<reservationId>   the reservation; while queued,
//                                                gsi1: PROGRAM#<programId>#RESERVATIONQUEUE /
//                                                <requestedAt>#<reservationId> (FIFO)
//
// A slot is one item per hour on purpose: "never more than capacity at any instant" is then a
// condition on each hour's item, and a grant takes all the hours of its window, the hold and the
// reservation in one transaction (at most 72 hours: 72 + 2 + events ≤ 100 items). Slots and the
// hold are created on first use, in the transaction that spends them, with a condition that
// holds whether the item exists or not, so no separate creation step can race.

const slotKey = reservationKeys.slot;
const holdKey = reservationKeys.hold;
const reservationKey = reservationKeys.key;

const toItem = (r: Reservation) => ({
  ...r,
  ...reservationKey(r.awardId, r.reservationId),
  type: "reservation",
  ...(r.status === "queued" ? reservationKeys.queueIndexes(r) : {}),
});

const fromItem = (item: Record<string, unknown>) => entityOf<Reservation>(item);

/** Attempts while other transactions hold the same slots: 30, from 10 ms up to 800 ms. */
export type ReservationRetryOptions = Partial<RetryPolicy>;
const RESERVATION_RETRY: RetryPolicy = { maxAttempts: 30, baseDelayMs: 10, maxDelayMs: 800 };

const statusCondition = (previous: ReservationStatus | null, revision: number) =>
  previous === null
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : {
        ConditionExpression: "#status = :previous AND revision = :revision",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":previous": previous, ":revision": revision - 1 },
      };

export const dynamoReservationRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  retry: ReservationRetryOptions = {},
): ReservationRepository => {
  const policy = retryPolicy(RESERVATION_RETRY, retry);

  const get = async (key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const getReservation = async (awardId: string, reservationId: string) => {
    const item = await get(reservationKey(awardId, reservationId));
    return item ? fromItem(item) : undefined;
  };

  /** The write went through on an earlier attempt (a 5xx that had applied it): it is stored as planned. */
  const alreadyWritten = async (r: Reservation) => {
    const stored = await getReservation(r.awardId, r.reservationId);
    return stored?.revision === r.revision && stored.status === r.status;
  };

  /** The indexes of the items whose condition failed (empty when it went through). */
  const transact = async (items: TransactItem[]) => (await sendTransaction(doc, items, policy))?.failed ?? [];

  const reservationPut = (r: Reservation, previous: ReservationStatus | null): TransactItem => ({
    Put: { TableName: tableName, Item: toItem(r), ...statusCondition(previous, r.revision) },
  });

  const readHold = async (awardId: string): Promise<ReservationHold | undefined> => {
    const item = await get(holdKey(awardId));
    if (!item) return undefined;
    return {
      awardId,
      creditsCents: Number(item.creditsCents),
      heldCents: Number(item.heldCents),
      availableCents: Number(item.availableCents),
    };
  };

  const listByAward = async (awardId: string) => {
    const items = await queryPartition(doc, tableName, reservationKeys.ofAward(awardId), {
      consistent: true,
    });
    return items.map(fromItem);
  };

  return {
    get: getReservation,

    listByAward,

    async queued(programId) {
      // The index is eventually consistent: a just-queued request may show on the next pass,
      // and one granted meanwhile fails its grant's status condition ("stale"), harmlessly.
      const items = await queryPartition(doc, tableName, reservationKeys.queue(programId));
      return items.map(fromItem).filter((r) => r.status === "queued");
    },

    async holding(awardId) {
      return (await listByAward(awardId)).filter((r) => r.status === "granted" || r.status === "suspended");
    },

    async grant({ reservation: r, previous, capacity, creditsCents, events }): Promise<GrantOutcome> {
      const now = new Date(r.grantedAt ?? r.requestedAt);
      const items: TransactItem[] = [reservationPut(r, previous)];
      let holdIndex = -1;
      if (r.holdCents > 0) {
        holdIndex =
          items.push({
            Update: {
              TableName: tableName,
              Key: holdKey(r.awardId),
              UpdateExpression:
                "SET awardId = :awardId, creditsCents = if_not_exists(creditsCents, :credits), heldCents = if_not_exists(heldCents, :zero) + :n, availableCents = if_not_exists(availableCents, :credits) - :n",
              ConditionExpression:
                r.holdCents <= creditsCents
                  ? "attribute_not_exists(pk) OR availableCents >= :n"
                  : "availableCents >= :n",
              ExpressionAttributeValues: {
                ":awardId": r.awardId,
                ":credits": creditsCents,
                ":zero": 0,
                ":n": r.holdCents,
              },
            },
          }) - 1;
      }
      const firstSlot = items.length;
      for (const hour of hoursOf(r.startsAt, r.endsAt)) {
        items.push({
          Update: {
            TableName: tableName,
            Key: slotKey(r.programId, hour),
            UpdateExpression:
              "SET programId = :programId, #hour = :hour, capacityChips = if_not_exists(capacityChips, :capacity), reservedChips = if_not_exists(reservedChips, :zero) + :n, bookedChips = if_not_exists(bookedChips, :zero) + :n, availableChips = if_not_exists(availableChips, :capacity) - :n",
            ConditionExpression:
              r.chips <= capacity
                ? "attribute_not_exists(pk) OR availableChips >= :n"
                : "availableChips >= :n",
            ExpressionAttributeNames: { "#hour": "hour" },
            ExpressionAttributeValues: {
              ":programId": r.programId,
              ":hour": hour,
              ":capacity": capacity,
              ":zero": 0,
              ":n": r.chips,
            },
          },
        });
      }
      for (const event of events) items.push(outboxPut(tableName, event, now));
      if (items.length > 100)
        throw conflict(
          `A grant of ${items.length} transaction items exceeds DynamoDB's 100: shorten the window`,
        );

      const failed = await transact(items);
      if (!failed.length) return { granted: true };
      if (failed.includes(0))
        return (await alreadyWritten(r)) ? { granted: true } : { granted: false, reason: "stale" };
      if (holdIndex >= 0 && failed.includes(holdIndex)) {
        const hold = await readHold(r.awardId);
        return {
          granted: false,
          reason: "credits",
          heldCents: hold?.heldCents ?? 0,
          availableCents: hold?.availableCents ?? creditsCents,
        };
      }
      if (failed.some((i) => i >= firstSlot && i < firstSlot + hoursOf(r.startsAt, r.endsAt).length))
        return { granted: false, reason: "capacity" };
      throw conflict(`The grant of reservation ${r.reservationId} failed on items ${failed.join(", ")}`);
    },

    async release(r, previous, events) {
      const now = new Date(r.history.at(-1)?.at ?? Date.now());
      const items: TransactItem[] = [reservationPut(r, previous)];
      if (r.holdCents > 0) {
        items.push({
          Update: {
            TableName: tableName,
            Key: holdKey(r.awardId),
            UpdateExpression: "SET heldCents = heldCents - :n, availableCents = availableCents + :n",
            ConditionExpression: "heldCents >= :n",
            ExpressionAttributeValues: { ":n": r.holdCents },
          },
        });
      }
      for (const hour of hoursOf(r.startsAt, r.endsAt)) {
        // A slot written before bookedChips existed counts as booked by this reservation.
        const begun = Date.parse(hour) < now.getTime();
        items.push({
          Update: {
            TableName: tableName,
            Key: slotKey(r.programId, hour),
            UpdateExpression: begun
              ? "SET availableChips = availableChips + :n, reservedChips = reservedChips - :n"
              : "SET availableChips = availableChips + :n, reservedChips = reservedChips - :n, bookedChips = if_not_exists(bookedChips, :n) - :n",
            ConditionExpression: "reservedChips >= :n",
            ExpressionAttributeValues: { ":n": r.chips },
          },
        });
      }
      for (const event of events) items.push(outboxPut(tableName, event, now));
      const failed = await transact(items);
      if (!failed.length) return;
      if (failed.includes(0)) {
        if (await alreadyWritten(r)) return;
        throw new ConcurrentModification(`Reservation ${r.reservationId}`);
      }
      throw conflict(`Reservation ${r.reservationId} would give back more than its slots or hold hold`);
    },

    async save(r, previous, events) {
      const now = new Date(r.history.at(-1)?.at ?? Date.now());
      const failed = await transact([
        reservationPut(r, previous),
        ...events.map((e) => outboxPut(tableName, e, now)),
      ]);
      if (!failed.length || (await alreadyWritten(r))) return;
      throw new ConcurrentModification(`Reservation ${r.reservationId}`);
    },

    hold: readHold,

    async syncCredits(awardId, creditsCents) {
      for (let attempt = 1; attempt <= 10; attempt++) {
        const hold = await readHold(awardId);
        if (!hold || hold.creditsCents >= creditsCents) return;
        try {
          await doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: holdKey(awardId),
              UpdateExpression: "SET creditsCents = :credits, availableCents = availableCents + :delta",
              ConditionExpression: "creditsCents = :known",
              ExpressionAttributeValues: {
                ":credits": creditsCents,
                ":delta": creditsCents - hold.creditsCents,
                ":known": hold.creditsCents,
              },
            }),
          );
          return;
        } catch (error) {
          if (!failedConditions(error)) throw error;
        }
      }
      throw new ConcurrentModification(`The credit hold of award ${awardId}`);
    },

    async freeChips(programId, hours) {
      const items = await batchGetAll(
        doc,
        tableName,
        hours.map((h) => slotKey(programId, h)),
      );
      return new Map(items.map((item) => [String(item.hour), Number(item.availableChips)]));
    },
  };
};
