import { createHash } from "node:crypto";
import { ConcurrentModification, conflict, notFound, validationError } from "@allot/core";
import {
  BudgetExhausted,
  type BudgetShortfall,
  isConsumption,
  type LedgerEntry,
  type LedgerRepository,
  type PartnerBalance,
  type Pool,
  type PoolBalance,
  partnerKeyOf,
} from "@allot/core/award";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { awardItem } from "./award-repository.js";
import { changeDecisionItems } from "./change-request-repository.js";
import { failedConditions } from "./errors.js";
import { entityOf, ledgerKeys } from "./keys.js";
import { outboxPut } from "./outbox.js";
import { queryPartition } from "./query.js";
import { type RetryPolicy, retryPolicy, TryAgain, transientReason, withRetries } from "./retry.js";
import { putIfAbsent, versionedPut } from "./transact.js";

// Layout, all in the one table (keys.ts spells these keys):
//   PROGRAM#<programId> / POOL#cash|credits        the pool balances
//   PROGRAM#<programId> / PARTNER#<institutionId>   a partner institution's credits against its cap,
//                                                   created and re-capped with the institution
//   PROGRAM#<programId> / PARTNER#<name, folded>    the same for awards older than partner
//                                                   institutions (self-declared, keyed by name)
//   PROGRAM#<programId> / PARTNERCAP                the cap such a legacy partner item starts with
//   AWARD#<awardId>     / AWARD                     the award record
//   AWARD#<awardId>     / LEDGER#<at>#<entryId>     the entries (gsi1: the program's ledger)
//   LEDGERENTRY#<entryId> / ENTRY                   guards an entry id against a second write
//   LEDGERREQUEST#<token> / REQUEST                 guards a request token past the 10-minute
//                                                   window of the transaction's own token
//
// Each pool is one item on purpose: a cap is only enforceable by a condition on one item, and
// a sharded counter could not refuse the movement that crosses it. Award movements come from
// staff decisions and workflow steps (hundreds a round, not thousands a second), far under the
// ~1,000 writes/s of one partition; contention on the item is retried below.

const TRANSACTION_LIMIT = 100;

const poolKey = ledgerKeys.pool;
const partnerKey = ledgerKeys.partner;

/**
 * The transaction item that gives a partner institution its credit cap: creates its balance, or
 * moves the remaining credits by the change of cap. Refused (a failed condition) when the
 * institution already holds more than the new cap. Written with the institution itself, so the
 * cap the ledger enforces is always the one staff last saved.
 */
export const partnerCapUpdate = (
  tableName: string,
  programId: string,
  partner: { institutionId: string; name: string },
  capCents: number,
) => ({
  Update: {
    TableName: tableName,
    Key: partnerKey(programId, partner.institutionId),
    UpdateExpression:
      "SET programId = :programId, institution = :name, institutionKey = :key, capCents = :cap, heldCents = if_not_exists(heldCents, :zero), remainingCents = :cap - if_not_exists(heldCents, :zero)",
    ConditionExpression: "attribute_not_exists(pk) OR heldCents <= :cap",
    ExpressionAttributeValues: {
      ":programId": programId,
      ":name": partner.name,
      ":key": partner.institutionId,
      ":cap": capCents,
      ":zero": 0,
    },
  },
});

/** Credits a partner institution holds now, to say why a lower cap was refused. */
export const partnerHeldCents = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  programId: string,
  institutionId: string,
) => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: partnerKey(programId, institutionId), ConsistentRead: true }),
  );
  return Number(Item?.heldCents ?? 0);
};
const capKey = ledgerKeys.partnerCap;
const pointerKey = ledgerKeys.entryPointer;
const requestKey = ledgerKeys.request;

const entryItem = (e: LedgerEntry) => ({
  ...ledgerKeys.entry(e),
  ...ledgerKeys.entryIndexes(e),
  type: "ledger-entry",
  ...e,
});

const fromEntryItem = (item: Record<string, unknown>) => entityOf<LedgerEntry>(item);

const fromPoolItem = (item: Record<string, unknown>): PoolBalance => ({
  programId: String(item.programId),
  pool: item.pool as Pool,
  totalCents: Number(item.totalCents),
  committedCents: Number(item.committedCents),
  // Pools opened before consumption entered the ledger have no counter yet: nothing consumed.
  consumedCents: Number(item.consumedCents ?? 0),
  availableCents: Number(item.availableCents),
});

const fromPartnerItem = (item: Record<string, unknown>): PartnerBalance => ({
  programId: String(item.programId),
  institution: String(item.institution),
  institutionKey: String(item.institutionKey),
  capCents: Number(item.capCents),
  heldCents: Number(item.heldCents),
  remainingCents: Number(item.remainingCents),
});

// The transaction's own idempotency token is at most 36 characters. It hashes the request token
// with the transaction itself: an identical retry is answered from DynamoDB's 10-minute window,
// while a different movement under the same request token (a revised decision after a refusal)
// is not an IdempotentParameterMismatch but meets the durable request item instead.
const clientToken = (requestToken: string, items: unknown) =>
  createHash("sha256").update(requestToken).update(JSON.stringify(items)).digest("base64url").slice(0, 36);

const text = (item: Record<string, unknown>, field: string) => {
  const value = item[field];
  if (typeof value !== "string" || !value) throw validationError(`The award needs a ${field}`);
  return value;
};

/** Attempts of one movement while other transactions hold its items: 25, from 15 ms up to 1 s. */
export type LedgerRetryOptions = Partial<RetryPolicy>;
const LEDGER_RETRY: RetryPolicy = { maxAttempts: 25, baseDelayMs: 15, maxDelayMs: 1_000 };

interface PartnerMovement {
  institution: string;
  cents: number;
  /** Keyed by name (an award older than partner institutions): its item may start from PARTNERCAP. */
  legacy: boolean;
}

interface Plan {
  input: TransactWriteCommandInput;
  awardIndex: number;
  requestIndex: number;
  pointerIndexes: number[];
  /** The decided change request's items, if the movement grants one. */
  changeIndexes: number[];
  /** Net movement per pool and per partner institution, as the balances' conditions test it. */
  pools: Map<Pool, number>;
  /** Consumption per pool (positive: more consumed); it moves no committed or available cents. */
  consumed: Map<Pool, number>;
  partners: Map<string, PartnerMovement>;
  balanceIndexes: Set<number>;
}

export const dynamoLedgerRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  retry: LedgerRetryOptions = {},
): LedgerRepository => {
  const policy = retryPolicy(LEDGER_RETRY, retry);

  const get = async (key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const partnerCap = async (programId: string) => {
    const item = await get(capKey(programId));
    if (!item) throw notFound(`The ledger of program ${programId}`);
    return Number(item.capCents);
  };

  const plan = async (input: Parameters<LedgerRepository["move"]>[0]): Promise<Plan> => {
    const { entries, award, events, requestToken } = input;
    const awardId = text(award.item, "awardId");
    const programId = text(award.item, "programId");
    const status = text(award.item, "status");
    const applicantId = text(award.item, "applicantId");
    for (const e of entries) {
      if (e.awardId !== awardId || e.programId !== programId)
        throw validationError(`Entry ${e.entryId} is not for award ${awardId} of program ${programId}`);
      if (!Number.isSafeInteger(e.amountCents))
        throw validationError(`Entry ${e.entryId} must move a whole number of cents`);
    }
    if (new Set(entries.map((e) => e.entryId)).size !== entries.length)
      throw validationError("A movement names an entry id twice");

    // One item may appear only once in a transaction, so entries on the same pool or partner
    // move its balance by their sum.
    const pools = new Map<Pool, number>();
    const consumed = new Map<Pool, number>();
    const partners = new Map<string, PartnerMovement>();
    for (const e of entries) {
      if (isConsumption(e)) {
        consumed.set(e.pool, (consumed.get(e.pool) ?? 0) - e.amountCents);
        continue;
      }
      pools.set(e.pool, (pools.get(e.pool) ?? 0) + e.amountCents);
      if (e.strategicPartner && e.pool === "credits") {
        const key = partnerKeyOf(e);
        const p = partners.get(key) ?? { institution: e.institution, cents: 0, legacy: !e.institutionId };
        p.cents += e.amountCents;
        partners.set(key, p);
      }
    }
    const legacyCap = [...partners.values()].some((p) => p.cents > 0 && p.legacy)
      ? await partnerCap(programId)
      : 0;

    // Taken from the entries, not the clock, so a retried call sends the very same transaction
    // and DynamoDB's token window recognises it.
    const now = new Date(entries[0]?.at ?? (award.item.updatedAt as string | undefined) ?? Date.now());
    const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [];
    items.push(
      versionedPut(
        tableName,
        awardItem({ ...award.item, awardId, programId, status, applicantId }),
        award.expectedRevision,
      ),
    );
    items.push(
      putIfAbsent(tableName, {
        ...requestKey(requestToken),
        awardId,
        programId,
        entryIds: entries.map((e) => e.entryId),
        at: now.toISOString(),
      }),
    );
    const changeIndexes = (
      input.decidedChange ? changeDecisionItems(tableName, input.decidedChange) : []
    ).map((item) => items.push(item) - 1);
    const pointerIndexes: number[] = [];
    for (const e of entries) {
      // The entry itself needs no condition: its pointer, in the same transaction, refuses
      // a second write of the same id whatever its timestamp.
      items.push({ Put: { TableName: tableName, Item: entryItem(e) } });
      pointerIndexes.push(
        items.push(putIfAbsent(tableName, { ...pointerKey(e.entryId), awardId, programId, at: e.at })) - 1,
      );
    }
    const balanceIndexes = new Set<number>();
    for (const pool of ["cash", "credits"] as Pool[]) {
      const cents = pools.get(pool) ?? 0;
      const used = consumed.get(pool) ?? 0;
      if (cents === 0 && used === 0) continue;
      // Conditions cannot subtract, so available is kept as its own attribute and the
      // condition compares against it directly. Consumption is bounded by the award's holding,
      // which the award's revision condition guards; ADD starts the counter on older pools.
      const set =
        cents === 0
          ? ""
          : "SET committedCents = committedCents + :cents, availableCents = availableCents - :cents";
      const add = used === 0 ? "" : "ADD consumedCents :consumed";
      balanceIndexes.add(
        items.push({
          Update: {
            TableName: tableName,
            Key: poolKey(programId, pool),
            UpdateExpression: [set, add].filter(Boolean).join(" "),
            ConditionExpression:
              cents > 0
                ? "availableCents >= :cents"
                : cents < 0
                  ? "committedCents >= :released"
                  : "attribute_exists(pk)",
            ExpressionAttributeValues: {
              ...(cents === 0 ? {} : { ":cents": cents }),
              ...(cents < 0 ? { ":released": -cents } : {}),
              ...(used === 0 ? {} : { ":consumed": used }),
            },
          },
        }) - 1,
      );
    }
    for (const [key, { institution, cents, legacy }] of partners) {
      if (cents === 0) continue;
      const Key = partnerKey(programId, key);
      // A partner institution's item exists from the moment staff saved it, with its own cap;
      // only a legacy name-keyed item may still be created here from the program's cap.
      const cap = legacy ? legacyCap : 0;
      balanceIndexes.add(
        items.push(
          cents > 0
            ? {
                Update: {
                  TableName: tableName,
                  Key,
                  // The partner's first credits create its item here, in the transaction that
                  // spends them, so no separate step can race it; the condition holds for a new
                  // item only when the cap alone covers the amount.
                  UpdateExpression:
                    "SET programId = :programId, institution = if_not_exists(institution, :institution), institutionKey = :key, capCents = if_not_exists(capCents, :cap), heldCents = if_not_exists(heldCents, :zero) + :cents, remainingCents = if_not_exists(remainingCents, :cap) - :cents",
                  ConditionExpression:
                    cents <= cap
                      ? "attribute_not_exists(pk) OR remainingCents >= :cents"
                      : "remainingCents >= :cents",
                  ExpressionAttributeValues: {
                    ":programId": programId,
                    ":institution": institution,
                    ":key": key,
                    ":cap": cap,
                    ":zero": 0,
                    ":cents": cents,
                  },
                },
              }
            : {
                Update: {
                  TableName: tableName,
                  Key,
                  UpdateExpression:
                    "SET heldCents = heldCents + :cents, remainingCents = remainingCents - :cents",
                  ConditionExpression: "heldCents >= :released",
                  ExpressionAttributeValues: { ":cents": cents, ":released": -cents },
                },
              },
        ) - 1,
      );
    }
    for (const event of events) items.push(outboxPut(tableName, event, now));
    if (items.length > TRANSACTION_LIMIT) {
      throw validationError(
        `A movement of award ${awardId} needs ${items.length} transaction items, DynamoDB takes at most ${TRANSACTION_LIMIT}: move fewer entries or events at once`,
      );
    }
    return {
      input: { TransactItems: items, ClientRequestToken: clientToken(requestToken, items) },
      awardIndex: 0,
      requestIndex: 1,
      pointerIndexes,
      changeIndexes,
      pools,
      consumed,
      partners,
      balanceIndexes,
    };
  };

  /**
   * Every pool or cap that cannot cover the planned movement as the balances stand now, and
   * whether a release would take back more than is held.
   */
  const shortfalls = async (programId: string, p: Plan) => {
    const short: BudgetShortfall[] = [];
    let overReleased = false;
    for (const [pool, cents] of p.pools) {
      if (cents === 0) continue;
      const item = await get(poolKey(programId, pool));
      if (!item) throw notFound(`The ${pool} pool of program ${programId}`);
      const available = Number(item.availableCents);
      if (cents < 0) overReleased ||= Number(item.committedCents) < -cents;
      else if (available < cents)
        short.push({ kind: "pool", pool, requestedCents: cents, availableCents: available });
    }
    for (const [pool, used] of p.consumed) {
      if (used !== 0 && !p.pools.get(pool) && !(await get(poolKey(programId, pool))))
        throw notFound(`The ${pool} pool of program ${programId}`);
    }
    for (const [key, { institution, cents, legacy }] of p.partners) {
      if (cents === 0) continue;
      const item = await get(partnerKey(programId, key));
      if (cents < 0) {
        overReleased ||= !item || Number(item.heldCents) < -cents;
        continue;
      }
      const remaining = item ? Number(item.remainingCents) : legacy ? await partnerCap(programId) : 0;
      if (remaining < cents) {
        short.push({
          kind: "partner-cap",
          pool: "credits",
          institution,
          requestedCents: cents,
          availableCents: remaining,
        });
      }
    }
    return { short, overReleased };
  };

  const alreadyApplied = async (requestToken: string, entries: LedgerEntry[]) => {
    if (await get(requestKey(requestToken))) return true;
    const existing = await Promise.all(entries.map((e) => get(pointerKey(e.entryId))));
    if (entries.length && existing.every(Boolean)) return true;
    if (existing.some(Boolean))
      throw conflict("Some of the movement's entry ids were already used by another movement");
    return false;
  };

  return {
    async move(input) {
      const p = await plan(input);
      const programId = String(input.award.item.programId);
      const awardId = String(input.award.item.awardId);
      await withRetries(async () => {
        try {
          await doc.send(new TransactWriteCommand(p.input));
        } catch (error) {
          if (transientReason(error) !== undefined) throw error;
          const failed = failedConditions(error);
          if (!failed) throw error;
          // A retry of a movement that went through fails on its request item or its entries'
          // pointers, and on the award's condition that the first write moved on; it is
          // answered as done. Read before trusting the award's failure, in case only the first
          // failed item is reported.
          const own = [p.awardIndex, p.requestIndex, ...p.pointerIndexes];
          if (
            failed.some((i) => own.includes(i)) &&
            (await alreadyApplied(input.requestToken, input.entries))
          )
            return;
          if (failed.includes(p.awardIndex) || failed.some((i) => p.changeIndexes.includes(i)))
            throw new ConcurrentModification(`Award ${awardId}`);
          if (!failed.some((i) => p.balanceIndexes.has(i))) throw error;
          const { short, overReleased } = await shortfalls(programId, p);
          if (short.length) throw new BudgetExhausted(short);
          if (overReleased) throw conflict(`A release of award ${awardId} exceeds what its balances hold`);
          // A release landed between the refusal and this read: the balances cover it now.
          throw new TryAgain("balance changed", error);
        }
      }, policy);
    },

    async entriesForAward(awardId) {
      const items = await queryPartition(doc, tableName, ledgerKeys.entriesOfAward(awardId), {
        consistent: true,
      });
      return items.map(fromEntryItem);
    },

    async entriesForProgram(programId) {
      const items = await queryPartition(doc, tableName, ledgerKeys.entriesOfProgram(programId));
      return items.map(fromEntryItem);
    },

    async pools(programId) {
      const items = await queryPartition(doc, tableName, ledgerKeys.pools(programId), { consistent: true });
      return items.map(fromPoolItem);
    },

    async partners(programId) {
      const items = await queryPartition(doc, tableName, ledgerKeys.partners(programId), {
        consistent: true,
      });
      return items.map(fromPartnerItem);
    },

    async partnerBalance(programId, institution) {
      const item = await get(partnerKey(programId, institution));
      if (item) return { heldCents: Number(item.heldCents), capCents: Number(item.capCents) };
      const cap = await get(capKey(programId));
      return cap ? { heldCents: 0, capCents: Number(cap.capCents) } : undefined;
    },

    async openPools(programId, pools, partnerCapCents) {
      const create = async (
        key: Record<string, string>,
        attributes: Record<string, unknown>,
        same: string[],
      ) => {
        try {
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...key, programId, ...attributes },
              ConditionExpression: "attribute_not_exists(pk)",
            }),
          );
        } catch (error) {
          if (!failedConditions(error)) throw error;
          const existing = await get(key);
          if (same.some((field) => existing?.[field] !== attributes[field]))
            throw conflict(`The ledger of program ${programId} is already open with other amounts`);
        }
      };
      const pool = (name: Pool, totalCents: number) =>
        create(
          poolKey(programId, name),
          {
            type: "ledger-pool",
            pool: name,
            totalCents,
            committedCents: 0,
            consumedCents: 0,
            availableCents: totalCents,
          },
          ["totalCents"],
        );
      await pool("cash", pools.cashCents);
      await pool("credits", pools.creditsCents);
      await create(capKey(programId), { type: "ledger-partner-cap", capCents: partnerCapCents }, [
        "capCents",
      ]);
    },
  };
};
