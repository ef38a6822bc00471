import { institutionKey, type LedgerEntry, type Pool } from "@allot/core/award";
import type { Call } from "@allot/core/call";
import type { Notification } from "@allot/core/notification";
import type { Proposal, ProposalClaim } from "@allot/core/proposal";
import type { Reservation } from "@allot/core/reservation";
import type { Assignment } from "@allot/core/review";
import type { Subscription } from "@allot/core/webhook";
import { CONSUMPTION_PREFIX, OUTBOX_PREFIX, USAGE_PREFIX } from "@allot/stacks/streams";

// The one place the table's keys are spelled (single table, see stacks/src/table.ts). Every
// entity has a primary key and, where it is listed, the index keys that list it; a listing is a
// `Partition` (one index partition, maybe narrowed to a sort-key prefix) that query.ts reads.
// Stored keys are data: changing a spelling here orphans every item written before, which is
// why test/keys.test.ts pins each shape literally.

export type Key = { pk: string; sk: string };

/** The items of one partition of the table or an index, optionally those whose sort key starts so. */
export interface Partition {
  index?: "gsi1" | "gsi2";
  pk: string;
  skPrefix?: string;
}

/** A partition of an index, which a cursor page needs (index-page.ts). */
export type IndexPartition = Partition & { index: "gsi1" | "gsi2" };

export const outboxKeys = {
  key: (eventId: string): Key => ({ pk: `${OUTBOX_PREFIX}${eventId}`, sk: "OUTBOX" }),
};

export const programKeys = {
  key: (programId: string): Key => ({ pk: `PROGRAM#${programId}`, sk: "PROGRAM" }),
  // Programs are few and read often: listed through gsi2 under one partition.
  indexes: (programId: string) => ({ gsi2pk: "PROGRAMS", gsi2sk: programId }),
  all: (): Partition => ({ index: "gsi2", pk: "PROGRAMS" }),
  institution: (programId: string, institutionId: string): Key => ({
    pk: `PROGRAM#${programId}`,
    sk: `INSTITUTION#${institutionId}`,
  }),
  institutions: (programId: string): Partition => ({ pk: `PROGRAM#${programId}`, skPrefix: "INSTITUTION#" }),
};

export const callKeys = {
  key: (callId: string): Key => ({ pk: `CALL#${callId}`, sk: "CALL" }),
  // gsi1 lists a program's calls by opening time; gsi2 every call by closing time.
  indexes: (c: Pick<Call, "callId" | "programId" | "opensAt" | "closesAt">) => ({
    gsi1pk: `PROGRAM#${c.programId}`,
    gsi1sk: `CALL#${c.opensAt}#${c.callId}`,
    gsi2pk: "CALLS",
    gsi2sk: `${c.closesAt}#${c.callId}`,
  }),
  ofProgram: (programId: string): Partition => ({
    index: "gsi1",
    pk: `PROGRAM#${programId}`,
    skPrefix: "CALL#",
  }),
  /** Every call, sorted by `<closesAt>#<callId>`. */
  byClosing: (): Partition => ({ index: "gsi2", pk: "CALLS" }),
};

export const proposalKeys = {
  key: (proposalId: string): Key => ({ pk: `PROPOSAL#${proposalId}`, sk: "PROPOSAL" }),
  // gsi1: an applicant's proposals; gsi2: a call's proposals by status, for staff and ranking.
  indexes: (p: Pick<Proposal, "proposalId" | "applicantId" | "callId" | "createdAt" | "status">) => ({
    gsi1pk: `APPLICANT#${p.applicantId}`,
    gsi1sk: `PROPOSAL#${p.createdAt}#${p.proposalId}`,
    gsi2pk: `CALL#${p.callId}#PROPOSALS`,
    gsi2sk: `${p.status}#${p.proposalId}`,
  }),
  ofApplicant: (applicantId: string): Partition => ({
    index: "gsi1",
    pk: `APPLICANT#${applicantId}`,
    skPrefix: "PROPOSAL#",
  }),
  ofCall: (callId: string, status?: string): Partition => ({
    index: "gsi2",
    pk: `CALL#${callId}#PROPOSALS`,
    ...(status ? { skPrefix: `${status}#` } : {}),
  }),
};

/** A unique claim, taken for good by the write that makes it true. */
export const claimKeys = {
  key: (claim: ProposalClaim): Key => {
    switch (claim.kind) {
      case "pi-per-call":
        return { pk: `CLAIM#CALL#${claim.callId}#PI#${claim.piEmail}`, sk: "CLAIM" };
    }
  },
};

/** What an award's keys are made of (the ledger reads it off a stored item, hence strings). */
type AwardIdentity = { [K in "awardId" | "programId" | "status" | "applicantId"]: string };

// The award item is written by the award repository for changes that move no money, and by
// the ledger repository (in its money transactions) otherwise; both take its keys from here.
export const awardKeys = {
  key: (awardId: string): Key => ({ pk: `AWARD#${awardId}`, sk: "AWARD" }),
  indexes: (a: AwardIdentity) => ({
    gsi1pk: `PROGRAM#${a.programId}#AWARDS`,
    gsi1sk: `${a.status}#${a.awardId}`,
    gsi2pk: `APPLICANT#${a.applicantId}`,
    gsi2sk: `AWARD#${a.awardId}`,
  }),
  ofProgram: (programId: string, status?: string): Partition => ({
    index: "gsi1",
    pk: `PROGRAM#${programId}#AWARDS`,
    ...(status ? { skPrefix: `${status}#` } : {}),
  }),
  ofApplicant: (applicantId: string): Partition => ({
    index: "gsi2",
    pk: `APPLICANT#${applicantId}`,
    skPrefix: "AWARD#",
  }),
};

export const ledgerKeys = {
  pool: (programId: string, pool: Pool): Key => ({ pk: `PROGRAM#${programId}`, sk: `POOL#${pool}` }),
  pools: (programId: string): Partition => ({ pk: `PROGRAM#${programId}`, skPrefix: "POOL#" }),
  /** A partner's credit balance: by institution id, or (awards older than institutions) by folded name. */
  partner: (programId: string, key: string): Key => ({
    pk: `PROGRAM#${programId}`,
    sk: `PARTNER#${institutionKey(key)}`,
  }),
  partners: (programId: string): Partition => ({ pk: `PROGRAM#${programId}`, skPrefix: "PARTNER#" }),
  partnerCap: (programId: string): Key => ({ pk: `PROGRAM#${programId}`, sk: "PARTNERCAP" }),
  entry: (e: Pick<LedgerEntry, "awardId" | "at" | "entryId">): Key => ({
    pk: `AWARD#${e.awardId}`,
    sk: `LEDGER#${e.at}#${e.entryId}`,
  }),
  // One GSI partition per program holds its whole ledger, so the check and the reports read it
  // in one query; award movements are a few per award over its life, far from a hot partition.
  entryIndexes: (e: Pick<LedgerEntry, "programId" | "at" | "entryId">) => ({
    gsi1pk: `PROGRAM#${e.programId}#LEDGER`,
    gsi1sk: `${e.at}#${e.entryId}`,
  }),
  entriesOfAward: (awardId: string): Partition => ({ pk: `AWARD#${awardId}`, skPrefix: "LEDGER#" }),
  entriesOfProgram: (programId: string): Partition => ({ index: "gsi1", pk: `PROGRAM#${programId}#LEDGER` }),
  /** Guards an entry id against a second write. */
  entryPointer: (entryId: string): Key => ({ pk: `LEDGERENTRY#${entryId}`, sk: "ENTRY" }),
  /** Guards a request token past the 10-minute window of the transaction's own token. */
  request: (token: string): Key => ({ pk: `LEDGERREQUEST#${token}`, sk: "REQUEST" }),
};

// Change requests live in their award's partition (an award's requests in one consistent
// query); gsi2 lists every award's requests by status for staff's queue, oldest first. The open
// marker holds the one open request of a kind, so a second is refused by a condition.
const CHANGE_REF = "CHANGE#";
export const changeKeys = {
  key: (awardId: string, changeId: string): Key => ({
    pk: `AWARD#${awardId}`,
    sk: `${CHANGE_REF}${changeId}`,
  }),
  indexes: (c: { status: string; requestedAt: string; changeId: string }) => ({
    gsi2pk: `CHANGES#${c.status}`,
    gsi2sk: `${c.requestedAt}#${c.changeId}`,
  }),
  ofAward: (awardId: string): Partition => ({ pk: `AWARD#${awardId}`, skPrefix: CHANGE_REF }),
  byStatus: (status: string): Partition => ({ index: "gsi2", pk: `CHANGES#${status}` }),
  open: (awardId: string, kind: string): Key => ({ pk: `AWARD#${awardId}`, sk: `OPENCHANGE#${kind}` }),
};

export const reviewerKeys = {
  key: (reviewerId: string): Key => ({ pk: `REVIEWER#${reviewerId}`, sk: "PROFILE" }),
  indexes: (reviewerId: string) => ({ gsi2pk: "REVIEWERS", gsi2sk: reviewerId }),
  all: (): Partition => ({ index: "gsi2", pk: "REVIEWERS" }),
};

// Assignments live in their proposal's partition, so the workflow lists them with a strongly
// consistent query; a pointer item finds one by id alone.
export const assignmentKeys = {
  key: (a: Pick<Assignment, "proposalId" | "assignmentId">): Key => ({
    pk: `PROPOSAL#${a.proposalId}`,
    sk: `ASSIGNMENT#${a.assignmentId}`,
  }),
  indexes: (a: Pick<Assignment, "reviewerId" | "assignedAt" | "assignmentId">) => ({
    gsi1pk: `REVIEWER#${a.reviewerId}`,
    gsi1sk: `ASSIGNMENT#${a.assignedAt}#${a.assignmentId}`,
  }),
  pointer: (assignmentId: string): Key => ({ pk: `ASSIGNMENT#${assignmentId}`, sk: "POINTER" }),
  ofProposal: (proposalId: string): Partition => ({ pk: `PROPOSAL#${proposalId}`, skPrefix: "ASSIGNMENT#" }),
  ofReviewer: (reviewerId: string): Partition => ({
    index: "gsi1",
    pk: `REVIEWER#${reviewerId}`,
    skPrefix: "ASSIGNMENT#",
  }),
};

export const idempotencyKeys = {
  /** By the operation id (a hash): the client's key may be 255 characters, the partition key stays small. */
  key: (operationId: string): Key => ({ pk: `IDEMPOTENCY#${operationId}`, sk: "IDEMPOTENCY" }),
};

export const reservationKeys = {
  key: (awardId: string, reservationId: string): Key => ({
    pk: `AWARD#${awardId}`,
    sk: `RESERVATION#${reservationId}`,
  }),
  /** Only a queued reservation is in the program's queue (gsi1, oldest first). */
  queueIndexes: (r: Pick<Reservation, "programId" | "requestedAt" | "reservationId">) => ({
    gsi1pk: `PROGRAM#${r.programId}#RESERVATIONQUEUE`,
    gsi1sk: `${r.requestedAt}#${r.reservationId}`,
  }),
  queue: (programId: string): Partition => ({ index: "gsi1", pk: `PROGRAM#${programId}#RESERVATIONQUEUE` }),
  ofAward: (awardId: string): Partition => ({ pk: `AWARD#${awardId}`, skPrefix: "RESERVATION#" }),
  /** One hour of a program's cluster. */
  slot: (programId: string, hour: string): Key => ({ pk: `CLUSTER#${programId}#${hour}`, sk: "SLOT" }),
  /** An award's credits held by its reservations. */
  hold: (awardId: string): Key => ({ pk: `HOLD#${awardId}`, sk: "HOLD" }),
};

// Outputs live in their award's item collection (read strongly with the award's compliance);
// gsi1 lists a program's, gsi2 every output for the daily re-check. Both are a few items per
// award written a few times over its life: far from a hot partition.
export const outputKeys = {
  key: (awardId: string, outputId: string): Key => ({ pk: `AWARD#${awardId}`, sk: `OUTPUT#${outputId}` }),
  indexes: (o: { programId: string; awardId: string; outputId: string }) => ({
    gsi1pk: `PROGRAM#${o.programId}#OUTPUTS`,
    gsi1sk: `${o.awardId}#${o.outputId}`,
    gsi2pk: "OUTPUTS",
    gsi2sk: `${o.awardId}#${o.outputId}`,
  }),
  ofAward: (awardId: string): Partition => ({ pk: `AWARD#${awardId}`, skPrefix: "OUTPUT#" }),
  ofProgram: (programId: string): Partition => ({ index: "gsi1", pk: `PROGRAM#${programId}#OUTPUTS` }),
  all: (): Partition => ({ index: "gsi2", pk: "OUTPUTS" }),
  /** The record that an obligation went overdue at a due date. */
  overdue: (awardId: string, obligation: string, dueAt: string): Key => ({
    pk: `AWARD#${awardId}`,
    sk: `OVERDUE#${obligation}#${dueAt}`,
  }),
};

const DAY = "DAY#";
const TOTAL = "TOTAL";
export const usageKeys = {
  record: (recordId: string): Key => ({ pk: `${USAGE_PREFIX}${recordId}`, sk: "RECORD" }),
  shard: (awardId: string, shard: number): Partition => ({ pk: `${CONSUMPTION_PREFIX}${awardId}#${shard}` }),
  shardTotal: (awardId: string, shard: number): Key => ({
    pk: `${CONSUMPTION_PREFIX}${awardId}#${shard}`,
    sk: TOTAL,
  }),
  isTotal: (sk: string) => sk === TOTAL,
  shardDay: (awardId: string, shard: number, day: string): Key => ({
    pk: `${CONSUMPTION_PREFIX}${awardId}#${shard}`,
    sk: `${DAY}${day}`,
  }),
  /** The day a shard's by-day item counts, or undefined for its other items. */
  dayOf: (sk: string): string | undefined => (sk.startsWith(DAY) ? sk.slice(DAY.length) : undefined),
  threshold: (awardId: string, pct: number): Key => ({ pk: `THRESHOLD#${awardId}#${pct}`, sk: "THRESHOLD" }),
};

/**
 * A program's compute usage per day, for the utilization report: chip-seconds split over
 * UTILIZATION_SHARDS items (one picked at random per counting transaction), so concurrent
 * writers of different awards do not all write one item.
 */
export const utilizationKeys = {
  usedDay: (programId: string, shard: number, day: string): Key => ({
    pk: `UTILIZATION#${programId}#${shard}`,
    sk: `${DAY}${day}`,
  }),
  usedShard: (programId: string, shard: number) => `UTILIZATION#${programId}#${shard}`,
  day: (day: string) => `${DAY}${day}`,
};

// Every listing of notifications sorts on `<createdAt>#<id>`; a cursor is that sort key alone.
const NOTIFICATION_REF = "NOTIFICATION#";
const notificationSort = (n: Pick<Notification, "createdAt" | "notificationId">) =>
  `${n.createdAt}#${n.notificationId}`;
export const notificationKeys = {
  key: (notificationId: string): Key => ({ pk: `NOTIFICATION#${notificationId}`, sk: "NOTIFICATION" }),
  sort: notificationSort,
  /** The notification id a sort key names. */
  idOfSort: (sort: string) => sort.slice(sort.indexOf("#") + 1),
  indexes: (n: Notification) => ({
    ...(n.recipient.userId ? { gsi1pk: `RECIPIENT#${n.recipient.userId}`, gsi1sk: notificationSort(n) } : {}),
    gsi2pk: "NOTIFICATIONS",
    gsi2sk: notificationSort(n),
  }),
  ofRecipient: (userId: string): IndexPartition => ({ index: "gsi1", pk: `RECIPIENT#${userId}` }),
  all: (): IndexPartition => ({ index: "gsi2", pk: "NOTIFICATIONS" }),
  /** A reference in its proposal's item collection: "one proposal's notifications" without a filter. */
  ref: (proposalId: string, sort: string): Key => ({
    pk: `PROPOSAL#${proposalId}`,
    sk: `${NOTIFICATION_REF}${sort}`,
  }),
  refsOfProposal: (proposalId: string): Partition => ({
    pk: `PROPOSAL#${proposalId}`,
    skPrefix: NOTIFICATION_REF,
  }),
  /** The sort key a reference's sk carries. */
  sortOfRef: (sk: string) => sk.slice(NOTIFICATION_REF.length),
  /**
   * A notice waiting for its recipient's digest: in the recipient's own partition (read
   * consistently, oldest first), and once per notice under one gsi2 partition sorted by user id,
   * where "the next user with notices waiting" is a one-item query past the previous user.
   */
  queued: (userId: string, sort: string): Key => ({ pk: `DIGESTQUEUE#${userId}`, sk: sort }),
  queuedIndexes: (userId: string) => ({ gsi2pk: "DIGESTQUEUE", gsi2sk: userId }),
  queueOf: (userId: string): Partition => ({ pk: `DIGESTQUEUE#${userId}` }),
  queuedRecipients: (): Partition => ({ index: "gsi2", pk: "DIGESTQUEUE" }),
  preferences: (userId: string): Key => ({ pk: `USER#${userId}`, sk: "NOTIFICATIONPREFERENCES" }),
};

// Integration clients: few, staff-managed, listed newest last under one gsi2 partition. The
// cursor of a listing is the gsi2 sort key `<createdAt>#<clientId>` of the last client returned.
export const integrationClientKeys = {
  key: (clientId: string): Key => ({ pk: `INTEGRATIONCLIENT#${clientId}`, sk: "INTEGRATIONCLIENT" }),
  indexes: (c: { createdAt: string; clientId: string }) => ({
    gsi2pk: "INTEGRATIONCLIENTS",
    gsi2sk: `${c.createdAt}#${c.clientId}`,
  }),
  all: (): IndexPartition => ({ index: "gsi2", pk: "INTEGRATIONCLIENTS" }),
};

const KEY_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "type"] as const;

/** An item without its keys and type tag: the entity as it was written. */
export const entityOf = <T>(item: Record<string, unknown>): T => {
  const entity = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete entity[attribute];
  return entity as T;
};

// Subscriptions list newest first on `<createdAt>#<id>`: an integration's own through gsi1, all
// of them (staff) through gsi2.
const subscriptionSort = (s: Pick<Subscription, "createdAt" | "subscriptionId">) =>
  `${s.createdAt}#${s.subscriptionId}`;
export const subscriptionKeys = {
  key: (subscriptionId: string): Key => ({ pk: `SUBSCRIPTION#${subscriptionId}`, sk: "SUBSCRIPTION" }),
  sort: subscriptionSort,
  /** The subscription id a sort key names. */
  idOfSort: (sort: string) => sort.slice(sort.indexOf("#") + 1),
  indexes: (s: Pick<Subscription, "createdAt" | "subscriptionId" | "ownerId">) => ({
    gsi1pk: `SUBSCRIBER#${s.ownerId}`,
    gsi1sk: subscriptionSort(s),
    gsi2pk: "SUBSCRIPTIONS",
    gsi2sk: subscriptionSort(s),
  }),
  ofOwner: (ownerId: string) => ({ index: "gsi1", pk: `SUBSCRIBER#${ownerId}` }) satisfies Partition,
  all: () => ({ index: "gsi2", pk: "SUBSCRIPTIONS" }) satisfies Partition,
};

// Deliveries list newest first on `<createdAt>#<id>` per subscription through gsi1. gsi2 is the
// sparse due index: only a pending delivery carries gsi2pk/gsi2sk (`<nextAttemptAt>#<id>`), so the
// sweep reads what is due and nothing else.
const deliverySort = (d: { createdAt: string; deliveryId: string }) => `${d.createdAt}#${d.deliveryId}`;
export const deliveryKeys = {
  key: (deliveryId: string): Key => ({ pk: `DELIVERY#${deliveryId}`, sk: "DELIVERY" }),
  /** The delivery id a sort key (either index) names. */
  idOfSort: (sort: string) => sort.slice(sort.indexOf("#") + 1),
  indexes: (d: {
    createdAt: string;
    deliveryId: string;
    subscriptionId: string;
    status: string;
    nextAttemptAt?: string;
  }) => ({
    gsi1pk: `SUBSCRIPTION#${d.subscriptionId}#DELIVERIES`,
    gsi1sk: deliverySort(d),
    ...(d.status === "pending" && d.nextAttemptAt
      ? { gsi2pk: "WEBHOOK-DELIVERIES-DUE", gsi2sk: `${d.nextAttemptAt}#${d.deliveryId}` }
      : {}),
  }),
  ofSubscription: (subscriptionId: string) =>
    ({ index: "gsi1", pk: `SUBSCRIPTION#${subscriptionId}#DELIVERIES` }) satisfies Partition,
  due: () => ({ index: "gsi2", pk: "WEBHOOK-DELIVERIES-DUE" }) satisfies Partition,
};
