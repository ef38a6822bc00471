import { randomUUID } from "node:crypto";
import type { EventEnvelope } from "./types.js";
import type { ValidEntry } from "./validate.js";

/** EventBridge stamps events to the second: "2026-01-31T12:00:00Z". */
export const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export const buildEnvelope = (
  entry: ValidEntry,
  context: { region: string; accountId: string; now: number },
): EventEnvelope => ({
  version: "0",
  id: randomUUID(),
  "detail-type": entry.detailType,
  source: entry.source,
  account: context.accountId,
  time: eventTime(entry.time ?? context.now),
  region: context.region,
  resources: entry.resources,
  detail: entry.detail,
});

/** A replayed event is the archived one plus `replay-name`, as AWS sends it. */
export const asReplay = (envelope: EventEnvelope, replayName: string): EventEnvelope => ({
  ...envelope,
  "replay-name": replayName,
});

/** Fields TestEventPattern requires of its Event, as AWS checks them (resources is not one). */
export const REQUIRED_EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"] as const;
