import { describe, expect, it } from "vitest";
import {
  assignmentKeys,
  awardKeys,
  callKeys,
  claimKeys,
  deliveryKeys,
  entityOf,
  idempotencyKeys,
  integrationClientKeys,
  ledgerKeys,
  notificationKeys,
  outboxKeys,
  outputKeys,
  programKeys,
  proposalKeys,
  reservationKeys,
  reviewerKeys,
  subscriptionKeys,
  usageKeys,
  utilizationKeys,
} from "../src/dynamo/keys.js";

// Stored keys are data: every shape below is what items written before this module carry, so
// a change here is a migration, not a refactor. Each expectation is spelled out literally.

describe("the key schema, pinned per entity", () => {
  it("integration clients, listed under one gsi2 partition by creation", () => {
    const c = { clientId: "cli_1", createdAt: "2026-11-30T10:00:00.000Z" };
    expect(integrationClientKeys.key("cli_1")).toEqual({
      pk: "INTEGRATIONCLIENT#cli_1",
      sk: "INTEGRATIONCLIENT",
    });
    expect(integrationClientKeys.indexes(c)).toEqual({
      gsi2pk: "INTEGRATIONCLIENTS",
      gsi2sk: "2026-11-30T10:00:00.000Z#cli_1",
    });
    expect(integrationClientKeys.all()).toEqual({ index: "gsi2", pk: "INTEGRATIONCLIENTS" });
  });

  it("outbox", () => {
    expect(outboxKeys.key("evt-1")).toEqual({ pk: "OUTBOX#evt-1", sk: "OUTBOX" });
  });

  it("outputs and overdue obligations, in their award's collection", () => {
    expect(outputKeys.key("awd_1", "out_1")).toEqual({ pk: "AWARD#awd_1", sk: "OUTPUT#out_1" });
    expect(outputKeys.indexes({ programId: "p1", awardId: "awd_1", outputId: "out_1" })).toEqual({
      gsi1pk: "PROGRAM#p1#OUTPUTS",
      gsi1sk: "awd_1#out_1",
      gsi2pk: "OUTPUTS",
      gsi2sk: "awd_1#out_1",
    });
    expect(outputKeys.ofAward("awd_1")).toEqual({ pk: "AWARD#awd_1", skPrefix: "OUTPUT#" });
    expect(outputKeys.ofProgram("p1")).toEqual({ index: "gsi1", pk: "PROGRAM#p1#OUTPUTS" });
    expect(outputKeys.all()).toEqual({ index: "gsi2", pk: "OUTPUTS" });
    expect(outputKeys.overdue("awd_1", "paper", "2028-01-01T00:00:00.000Z")).toEqual({
      pk: "AWARD#awd_1",
      sk: "OVERDUE#paper#2028-01-01T00:00:00.000Z",
    });
  });

  it("program and its partner institutions", () => {
    expect(programKeys.key("p1")).toEqual({ pk: "PROGRAM#p1", sk: "PROGRAM" });
    expect(programKeys.indexes("p1")).toEqual({ gsi2pk: "PROGRAMS", gsi2sk: "p1" });
    expect(programKeys.all()).toEqual({ index: "gsi2", pk: "PROGRAMS" });
    expect(programKeys.institution("p1", "northfield")).toEqual({
      pk: "PROGRAM#p1",
      sk: "INSTITUTION#northfield",
    });
    expect(programKeys.institutions("p1")).toEqual({ pk: "PROGRAM#p1", skPrefix: "INSTITUTION#" });
  });

  it("call", () => {
    expect(callKeys.key("c1")).toEqual({ pk: "CALL#c1", sk: "CALL" });
    expect(
      callKeys.indexes({
        callId: "c1",
        programId: "p1",
        opensAt: "2027-01-01T00:00:00.000Z",
        closesAt: "2027-03-01T00:00:00.000Z",
      }),
    ).toEqual({
      gsi1pk: "PROGRAM#p1",
      gsi1sk: "CALL#2027-01-01T00:00:00.000Z#c1",
      gsi2pk: "CALLS",
      gsi2sk: "2027-03-01T00:00:00.000Z#c1",
    });
    expect(callKeys.ofProgram("p1")).toEqual({ index: "gsi1", pk: "PROGRAM#p1", skPrefix: "CALL#" });
    expect(callKeys.byClosing()).toEqual({ index: "gsi2", pk: "CALLS" });
  });

  it("proposal and its uniqueness claim", () => {
    expect(proposalKeys.key("prp_1")).toEqual({ pk: "PROPOSAL#prp_1", sk: "PROPOSAL" });
    expect(
      proposalKeys.indexes({
        proposalId: "prp_1",
        applicantId: "alice",
        callId: "c1",
        createdAt: "2027-01-02T00:00:00.000Z",
        status: "submitted",
      }),
    ).toEqual({
      gsi1pk: "APPLICANT#alice",
      gsi1sk: "PROPOSAL#2027-01-02T00:00:00.000Z#prp_1",
      gsi2pk: "CALL#c1#PROPOSALS",
      gsi2sk: "submitted#prp_1",
    });
    expect(proposalKeys.ofApplicant("alice")).toEqual({
      index: "gsi1",
      pk: "APPLICANT#alice",
      skPrefix: "PROPOSAL#",
    });
    expect(proposalKeys.ofCall("c1")).toEqual({ index: "gsi2", pk: "CALL#c1#PROPOSALS" });
    expect(proposalKeys.ofCall("c1", "submitted")).toEqual({
      index: "gsi2",
      pk: "CALL#c1#PROPOSALS",
      skPrefix: "submitted#",
    });
    expect(claimKeys.key({ kind: "pi-per-call", callId: "c1", piEmail: "ada@uni.example" })).toEqual({
      pk: "CLAIM#CALL#c1#PI#ada@uni.example",
      sk: "CLAIM",
    });
  });

  it("award", () => {
    expect(awardKeys.key("awd_1")).toEqual({ pk: "AWARD#awd_1", sk: "AWARD" });
    expect(
      awardKeys.indexes({ awardId: "awd_1", programId: "p1", status: "active", applicantId: "alice" }),
    ).toEqual({
      gsi1pk: "PROGRAM#p1#AWARDS",
      gsi1sk: "active#awd_1",
      gsi2pk: "APPLICANT#alice",
      gsi2sk: "AWARD#awd_1",
    });
    expect(awardKeys.ofProgram("p1")).toEqual({ index: "gsi1", pk: "PROGRAM#p1#AWARDS" });
    expect(awardKeys.ofProgram("p1", "active")).toEqual({
      index: "gsi1",
      pk: "PROGRAM#p1#AWARDS",
      skPrefix: "active#",
    });
    expect(awardKeys.ofApplicant("alice")).toEqual({
      index: "gsi2",
      pk: "APPLICANT#alice",
      skPrefix: "AWARD#",
    });
  });

  it("ledger: pools, partner balances, entries and their guards", () => {
    expect(ledgerKeys.pool("p1", "cash")).toEqual({ pk: "PROGRAM#p1", sk: "POOL#cash" });
    expect(ledgerKeys.pools("p1")).toEqual({ pk: "PROGRAM#p1", skPrefix: "POOL#" });
    expect(ledgerKeys.partner("p1", "northfield")).toEqual({ pk: "PROGRAM#p1", sk: "PARTNER#northfield" });
    // A legacy partner is keyed by its folded name (core's institutionKey).
    expect(ledgerKeys.partner("p1", " Northfield  University")).toEqual({
      pk: "PROGRAM#p1",
      sk: "PARTNER#northfield university",
    });
    expect(ledgerKeys.partners("p1")).toEqual({ pk: "PROGRAM#p1", skPrefix: "PARTNER#" });
    expect(ledgerKeys.partnerCap("p1")).toEqual({ pk: "PROGRAM#p1", sk: "PARTNERCAP" });
    const entry = { awardId: "awd_1", programId: "p1", at: "2027-01-03T00:00:00.000Z", entryId: "e1" };
    expect(ledgerKeys.entry(entry)).toEqual({ pk: "AWARD#awd_1", sk: "LEDGER#2027-01-03T00:00:00.000Z#e1" });
    expect(ledgerKeys.entryIndexes(entry)).toEqual({
      gsi1pk: "PROGRAM#p1#LEDGER",
      gsi1sk: "2027-01-03T00:00:00.000Z#e1",
    });
    expect(ledgerKeys.entriesOfAward("awd_1")).toEqual({ pk: "AWARD#awd_1", skPrefix: "LEDGER#" });
    expect(ledgerKeys.entriesOfProgram("p1")).toEqual({ index: "gsi1", pk: "PROGRAM#p1#LEDGER" });
    expect(ledgerKeys.entryPointer("e1")).toEqual({ pk: "LEDGERENTRY#e1", sk: "ENTRY" });
    expect(ledgerKeys.request("tok")).toEqual({ pk: "LEDGERREQUEST#tok", sk: "REQUEST" });
  });

  it("reviewer and assignment", () => {
    expect(reviewerKeys.key("rev-ada")).toEqual({ pk: "REVIEWER#rev-ada", sk: "PROFILE" });
    expect(reviewerKeys.indexes("rev-ada")).toEqual({ gsi2pk: "REVIEWERS", gsi2sk: "rev-ada" });
    expect(reviewerKeys.all()).toEqual({ index: "gsi2", pk: "REVIEWERS" });
    expect(assignmentKeys.key({ proposalId: "prp_1", assignmentId: "asg_1" })).toEqual({
      pk: "PROPOSAL#prp_1",
      sk: "ASSIGNMENT#asg_1",
    });
    expect(
      assignmentKeys.indexes({
        reviewerId: "rev-ada",
        assignedAt: "2027-01-04T00:00:00.000Z",
        assignmentId: "asg_1",
      }),
    ).toEqual({ gsi1pk: "REVIEWER#rev-ada", gsi1sk: "ASSIGNMENT#2027-01-04T00:00:00.000Z#asg_1" });
    expect(assignmentKeys.pointer("asg_1")).toEqual({ pk: "ASSIGNMENT#asg_1", sk: "POINTER" });
    expect(assignmentKeys.ofProposal("prp_1")).toEqual({ pk: "PROPOSAL#prp_1", skPrefix: "ASSIGNMENT#" });
    expect(assignmentKeys.ofReviewer("rev-ada")).toEqual({
      index: "gsi1",
      pk: "REVIEWER#rev-ada",
      skPrefix: "ASSIGNMENT#",
    });
  });

  it("idempotency key", () => {
    expect(idempotencyKeys.key("op-hash")).toEqual({ pk: "IDEMPOTENCY#op-hash", sk: "IDEMPOTENCY" });
  });

  it("reservation, cluster slot and credit hold", () => {
    expect(reservationKeys.key("awd_1", "rsv_1")).toEqual({ pk: "AWARD#awd_1", sk: "RESERVATION#rsv_1" });
    expect(
      reservationKeys.queueIndexes({
        programId: "p1",
        requestedAt: "2027-01-05T00:00:00.000Z",
        reservationId: "rsv_1",
      }),
    ).toEqual({ gsi1pk: "PROGRAM#p1#RESERVATIONQUEUE", gsi1sk: "2027-01-05T00:00:00.000Z#rsv_1" });
    expect(reservationKeys.queue("p1")).toEqual({ index: "gsi1", pk: "PROGRAM#p1#RESERVATIONQUEUE" });
    expect(reservationKeys.ofAward("awd_1")).toEqual({ pk: "AWARD#awd_1", skPrefix: "RESERVATION#" });
    expect(reservationKeys.slot("p1", "2027-01-05T10:00:00.000Z")).toEqual({
      pk: "CLUSTER#p1#2027-01-05T10:00:00.000Z",
      sk: "SLOT",
    });
    expect(reservationKeys.hold("awd_1")).toEqual({ pk: "HOLD#awd_1", sk: "HOLD" });
  });

  it("usage records, consumption shards and thresholds", () => {
    expect(usageKeys.record("r-1")).toEqual({ pk: "USAGE#r-1", sk: "RECORD" });
    expect(usageKeys.shard("awd_1", 3)).toEqual({ pk: "CONSUMPTION#awd_1#3" });
    expect(usageKeys.shardTotal("awd_1", 3)).toEqual({ pk: "CONSUMPTION#awd_1#3", sk: "TOTAL" });
    expect(usageKeys.shardDay("awd_1", 3, "2027-01-06")).toEqual({
      pk: "CONSUMPTION#awd_1#3",
      sk: "DAY#2027-01-06",
    });
    expect(usageKeys.dayOf("DAY#2027-01-06")).toBe("2027-01-06");
    expect(usageKeys.dayOf("TOTAL")).toBeUndefined();
    expect(usageKeys.isTotal("TOTAL")).toBe(true);
    expect(usageKeys.threshold("awd_1", 80)).toEqual({ pk: "THRESHOLD#awd_1#80", sk: "THRESHOLD" });
  });

  it("a program's compute usage per day and shard (utilization)", () => {
    expect(utilizationKeys.usedDay("p1", 3, "2027-01-06")).toEqual({
      pk: "UTILIZATION#p1#3",
      sk: "DAY#2027-01-06",
    });
    expect(utilizationKeys.usedShard("p1", 3)).toBe("UTILIZATION#p1#3");
    expect(utilizationKeys.day("2027-01-06")).toBe("DAY#2027-01-06");
  });

  it("notification, its listings and its reference in the proposal", () => {
    const n = {
      notificationId: "ntf_1",
      createdAt: "2027-01-07T00:00:00.000Z",
      recipient: { userId: "alice" },
    };
    expect(notificationKeys.key("ntf_1")).toEqual({ pk: "NOTIFICATION#ntf_1", sk: "NOTIFICATION" });
    expect(notificationKeys.indexes(n as never)).toEqual({
      gsi1pk: "RECIPIENT#alice",
      gsi1sk: "2027-01-07T00:00:00.000Z#ntf_1",
      gsi2pk: "NOTIFICATIONS",
      gsi2sk: "2027-01-07T00:00:00.000Z#ntf_1",
    });
    // A notification to an address with no user is in the staff listing only.
    expect(notificationKeys.indexes({ ...n, recipient: {} } as never)).toEqual({
      gsi2pk: "NOTIFICATIONS",
      gsi2sk: "2027-01-07T00:00:00.000Z#ntf_1",
    });
    expect(notificationKeys.ofRecipient("alice")).toEqual({ index: "gsi1", pk: "RECIPIENT#alice" });
    expect(notificationKeys.all()).toEqual({ index: "gsi2", pk: "NOTIFICATIONS" });
    expect(notificationKeys.ref("prp_1", "2027-01-07T00:00:00.000Z#ntf_1")).toEqual({
      pk: "PROPOSAL#prp_1",
      sk: "NOTIFICATION#2027-01-07T00:00:00.000Z#ntf_1",
    });
    expect(notificationKeys.refsOfProposal("prp_1")).toEqual({
      pk: "PROPOSAL#prp_1",
      skPrefix: "NOTIFICATION#",
    });
    expect(notificationKeys.sortOfRef("NOTIFICATION#2027-01-07T00:00:00.000Z#ntf_1")).toBe(
      "2027-01-07T00:00:00.000Z#ntf_1",
    );
    expect(notificationKeys.idOfSort("2027-01-07T00:00:00.000Z#ntf_1")).toBe("ntf_1");
    expect(notificationKeys.queued("alice", "2027-01-07T00:00:00.000Z#ntf_1")).toEqual({
      pk: "DIGESTQUEUE#alice",
      sk: "2027-01-07T00:00:00.000Z#ntf_1",
    });
    expect(notificationKeys.queuedIndexes("alice")).toEqual({ gsi2pk: "DIGESTQUEUE", gsi2sk: "alice" });
    expect(notificationKeys.queueOf("alice")).toEqual({ pk: "DIGESTQUEUE#alice" });
    expect(notificationKeys.queuedRecipients()).toEqual({ index: "gsi2", pk: "DIGESTQUEUE" });
    expect(notificationKeys.preferences("alice")).toEqual({
      pk: "USER#alice",
      sk: "NOTIFICATIONPREFERENCES",
    });
  });

  it("webhook delivery: its subscription's log and the sparse due index", () => {
    const d = { createdAt: "2026-11-30T10:00:00.000Z", deliveryId: "dlv_1", subscriptionId: "sub_1" };
    expect(deliveryKeys.key("dlv_1")).toEqual({ pk: "DELIVERY#dlv_1", sk: "DELIVERY" });
    expect(
      deliveryKeys.indexes({ ...d, status: "pending", nextAttemptAt: "2026-11-30T10:00:05.000Z" }),
    ).toEqual({
      gsi1pk: "SUBSCRIPTION#sub_1#DELIVERIES",
      gsi1sk: "2026-11-30T10:00:00.000Z#dlv_1",
      gsi2pk: "WEBHOOK-DELIVERIES-DUE",
      gsi2sk: "2026-11-30T10:00:05.000Z#dlv_1",
    });
    expect(deliveryKeys.indexes({ ...d, status: "held" })).toEqual({
      gsi1pk: "SUBSCRIPTION#sub_1#DELIVERIES",
      gsi1sk: "2026-11-30T10:00:00.000Z#dlv_1",
    });
  });

  it("spells webhook subscription keys", () => {
    const s = { subscriptionId: "sub_1", ownerId: "cli_a", createdAt: "2026-11-30T10:00:00.000Z" };
    expect(subscriptionKeys.key("sub_1")).toEqual({ pk: "SUBSCRIPTION#sub_1", sk: "SUBSCRIPTION" });
    expect(subscriptionKeys.indexes(s)).toEqual({
      gsi1pk: "SUBSCRIBER#cli_a",
      gsi1sk: "2026-11-30T10:00:00.000Z#sub_1",
      gsi2pk: "SUBSCRIPTIONS",
      gsi2sk: "2026-11-30T10:00:00.000Z#sub_1",
    });
    expect(subscriptionKeys.idOfSort("2026-11-30T10:00:00.000Z#sub_1")).toBe("sub_1");
    expect(subscriptionKeys.ofOwner("cli_a")).toEqual({ index: "gsi1", pk: "SUBSCRIBER#cli_a" });
    expect(subscriptionKeys.all()).toEqual({ index: "gsi2", pk: "SUBSCRIPTIONS" });
  });

  it("reads an entity back without its keys and type tag", () => {
    expect(
      entityOf({
        pk: "A",
        sk: "B",
        gsi1pk: "C",
        gsi1sk: "D",
        gsi2pk: "E",
        gsi2sk: "F",
        type: "x",
        id: 1,
        name: "n",
      }),
    ).toEqual({ id: 1, name: "n" });
  });
});
