import { ConcurrentModification, conflict } from "@allot/core";
import {
  type GrantOutcome,
  hoursOf,
  type Reservation,
  type ReservationHold,
  type ReservationRepository,
  type ReservationStatus,
} from "@allot/core/reservation";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// Layout, all in the one table:
//   CLUSTER#<programId>#<hour ISO> / SLOT       availableChips of one hour of the program's cluster
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

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const slotKey = (programId: string, hour: string) => ({ pk: `CLUSTER#${programId}#${hour}`, sk: "SLOT" });
const holdKey = (awardId: string) => ({ pk: `HOLD#${awardId}`, sk: "HOLD" });
const reservationKey = (awardId: string, reservationId: string) => ({
  pk: `AWARD#${awardId}`,
  sk: `RESERVATION#${reservationId}`,
});
const queueIndexKey = (programId: string) => `PROGRAM#${programId}#RESERVATIONQUEUE`;

const toItem = (r: Reservation) => ({
  ...r,
  ...reservationKey(r.awardId, r.reservationId),
  type: "reservation",
  ...(r.status === "queued"
    ? { gsi1pk: queueIndexKey(r.programId), gsi1sk: `${r.requestedAt}#${r.reservationId}` }
    : {}),
});

const fromItem = (item: Record<string, unknown>): Reservation => {
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, type: _t, ...r } = item;
  return r as unknown as Reservation;
};

export interface ReservationRetryOptions {
  /** Attempts while other transactions hold the same slots (default 30). */
  maxAttempts?: number;
  /** First backoff in ms, doubled per attempt under full jitter (default 10). */
  baseDelayMs?: number;
  /** Largest backoff in ms (default 800). */
  maxDelayMs?: number;
  onRetry?: (attempt: number, reason: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TRANSIENT_CODES = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);
/** "Not now" rather than "no": conflicts with other transactions and 5xx; never a failed condition. */
const transientReason = (error: unknown): string | undefined => {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === "TransactionConflictException" || name === "TransactionInProgressException") return name;
  if (
    name === "InternalServerError" ||
    name === "ServiceUnavailable" ||
    name === "RequestLimitExceeded" ||
    name === "ThrottlingException" ||
    name === "ProvisionedThroughputExceededException"
  )
    return name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  if (status !== undefined && status >= 500) return `HTTP ${status}`;
  if (error instanceof TransactionCanceledException) {
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? "None");
    if (codes.includes("ConditionalCheckFailed")) return undefined;
    return codes.find((c) => TRANSIENT_CODES.has(c));
  }
  return undefined;
};

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
  const maxAttempts = retry.maxAttempts ?? 30;
  const baseDelayMs = retry.baseDelayMs ?? 10;
  const maxDelayMs = retry.maxDelayMs ?? 800;

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

  /**
   * Sends one transaction, retried with full jitter while it is only "not now"; returns the
   * indexes of the items whose condition failed (empty when it went through).
   */
  const transact = async (items: TransactItem[]): Promise<number[]> => {
    for (let attempt = 1; ; attempt++) {
      let error: unknown;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return [];
      } catch (caught) {
        error = caught;
      }
      const transient = transientReason(error);
      if (transient === undefined) {
        const failed = failedConditions(error);
        if (failed) return failed;
        throw error;
      }
      if (attempt >= maxAttempts) throw error;
      retry.onRetry?.(attempt, transient);
      await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
    }
  };

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
    const items = await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `AWARD#${awardId}`, ":prefix": "RESERVATION#" },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  };

  return {
    get: getReservation,

    listByAward,

    async queued(programId) {
      // The index is eventually consistent: a just-queued request may show on the next pass,
      // and one granted meanwhile fails its grant's status condition ("stale"), harmlessly.
      const items = await queryAll(doc, {
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": queueIndexKey(programId) },
      });
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
              "SET programId = :programId, #hour = :hour, capacityChips = if_not_exists(capacityChips, :capacity), reservedChips = if_not_exists(reservedChips, :zero) + :n, availableChips = if_not_exists(availableChips, :capacity) - :n",
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
        items.push({
          Update: {
            TableName: tableName,
            Key: slotKey(r.programId, hour),
            UpdateExpression: "SET availableChips = availableChips + :n, reservedChips = reservedChips - :n",
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
