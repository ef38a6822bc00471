import type { DomainEvent } from "@allot/core/events";
import {
  memoryAssignments,
  memoryAwards,
  memoryCalls,
  memoryChanges,
  memoryIdempotency,
  memoryLedger,
  memoryNotificationPreferences,
  memoryNotifications,
  memoryOutputs,
  memoryPrograms,
  memoryProposals,
  memoryReservations,
  memoryReviewers,
  memoryUsage,
} from "../../core/test/fakes.js";
import { awardRepositoryContract } from "./contracts/awards.js";
import { callRepositoryContract } from "./contracts/calls.js";
import { changeRequestRepositoryContract } from "./contracts/changes.js";
import { idempotencyStoreContract } from "./contracts/idempotency.js";
import { ledgerRepositoryContract } from "./contracts/ledger.js";
import {
  notificationPreferencesContract,
  notificationRepositoryContract,
} from "./contracts/notifications.js";
import { outputRepositoryContract } from "./contracts/outputs.js";
import { programRepositoryContract } from "./contracts/programs.js";
import { proposalRepositoryContract } from "./contracts/proposals.js";
import { reservationRepositoryContract } from "./contracts/reservations.js";
import { reviewsContract } from "./contracts/reviews.js";
import { usageRepositoryContract } from "./contracts/usage.js";

// The in-memory fakes core's tests run on, held to the same contracts as the DynamoDB adapters
// (contracts-dynamo.test.ts): a fake that drifts from the database fails here.

const publishedIn = (events: DomainEvent[]) => async (eventId: string) =>
  events.some((e) => e.detail.eventId === eventId);

proposalRepositoryContract("in memory", async () => {
  const { repo, events } = memoryProposals();
  return { proposals: repo, published: publishedIn(events) };
});

callRepositoryContract("in memory", async () => {
  const { repo, events } = memoryCalls();
  return { calls: repo, published: publishedIn(events) };
});

programRepositoryContract("in memory", async () => {
  const { repo, events } = memoryPrograms();
  return { programs: repo, published: publishedIn(events) };
});

reviewsContract("in memory", async () => {
  const reviewers = memoryReviewers();
  const assignments = memoryAssignments(reviewers.items);
  return {
    reviewers: reviewers.repo,
    assignments: assignments.repo,
    published: publishedIn(assignments.events),
  };
});

awardRepositoryContract("in memory", async () => {
  const { repo, items, events } = memoryAwards();
  return {
    awards: repo,
    seed: async (award) => void items.set(award.awardId, structuredClone(award)),
    published: publishedIn(events),
  };
});

reservationRepositoryContract("in memory", async () => {
  const { repo, events } = memoryReservations();
  return { reservations: repo, published: publishedIn(events) };
});

usageRepositoryContract("in memory", async () => {
  const { repo, outbox } = memoryUsage();
  return { usage: repo, published: publishedIn(outbox) };
});

ledgerRepositoryContract("in memory", async () => {
  const awards = memoryAwards();
  const { repo, events } = memoryLedger(awards.items);
  return { ledger: repo, awards: awards.repo, published: publishedIn(events) };
});

idempotencyStoreContract("in memory", async () => ({ store: memoryIdempotency().store }));

notificationRepositoryContract("in memory", async () => ({ notifications: memoryNotifications().repo }));

changeRequestRepositoryContract("in memory", async () => {
  const awards = memoryAwards();
  const { repo, items, events } = memoryChanges(awards.items);
  const ledger = memoryLedger(awards.items, items);
  const published = publishedIn(events);
  const ledgerPublished = publishedIn(ledger.events);
  return {
    changes: repo,
    awards: awards.repo,
    ledger: ledger.repo,
    seed: async (award) => void awards.items.set(award.awardId, structuredClone(award)),
    published: async (eventId) => (await published(eventId)) || (await ledgerPublished(eventId)),
  };
});

outputRepositoryContract("in memory", async () => {
  const { repo, events } = memoryOutputs();
  return { outputs: repo, published: publishedIn(events) };
});

notificationPreferencesContract("in memory", async () => ({
  preferences: memoryNotificationPreferences().repo,
}));
