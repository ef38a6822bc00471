import { randomUUID } from "node:crypto";
import { ConcurrentModification, DomainError } from "@allot/core";
import type { DomainEvent } from "@allot/core/events";

// Contract cases share one store per run (a DynamoDB table is not recreated per case), so each
// case names its own ids and reads only what it wrote.

/** A fresh id for this case: `prefix` and 26 letters or digits, the shape minted ids have. */
export const freshId = (prefix: string) => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 26)}`;

/** What a promise failed with, as the domain names it. */
export const failureOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return "no error";
  if (error instanceof ConcurrentModification) return "concurrent modification";
  if (error instanceof DomainError) return error.kind;
  throw error;
};

/** An event as the outbox takes it. */
export const event = (name: string, at = "2027-01-01T00:00:00.000Z"): DomainEvent => ({
  source: "allot.contract",
  detailType: "Contract Checked",
  detail: { eventId: `evt-${name}-${randomUUID()}`, occurredAt: at, version: 1, data: { name } },
});

/** Whether an event was committed (to the outbox, or the fake's list of events). */
export type Published = (eventId: string) => Promise<boolean>;

/** Sorted by one string field, to compare listings whose order the port does not promise. */
export const sortedBy = <T>(items: T[], field: keyof T) =>
  [...items].sort((a, b) => String(a[field]).localeCompare(String(b[field])));
