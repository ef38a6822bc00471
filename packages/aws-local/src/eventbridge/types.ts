import type { TargetInput } from "./input.js";
import type { HttpTargetParameters } from "./targets.js";

/** The event as EventBridge hands it to targets (and as rules see it). */
export interface EventEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  "replay-name"?: string;
}

/** One entry of a PutEvents call, as the API takes it; Time may also be a Date in-process. */
export interface PutEventsRequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  EventBusName?: unknown;
  Time?: unknown;
  TraceHeader?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export interface DeliveryError {
  type: string;
  message: string;
  /** false: an error no retry can mend (an HTTP 400, say): dead-lettered at once. */
  retryable?: boolean;
}

export type DeliveryStatus = "pending" | "running" | "delivered" | "dead";

/** A delivery of one event to one target of one rule, as stored. */
export interface DeliveryRecord {
  pk: string;
  sk: string;
  kind: "eb-delivery";
  deliveryId: string;
  eventId: string;
  bus: string;
  rule: string;
  targetIndex: number;
  function: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** The envelope as JSON text: stored verbatim so that a replay or re-drive sends the same bytes. */
  event: string;
  /** How the target's input is made from the event (its Input, InputPath or InputTransformer). */
  input?: TargetInput;
  /** For the input's <aws.events.rule-arn> and <aws.events.event.ingestion-time> (epoch ms). */
  ruleArn?: string;
  receivedAt?: number;
  /** An API destination target: its name (resolved when sent) and the target's HttpParameters. */
  destination?: string;
  http?: HttpTargetParameters;
  replayName?: string;
  status: DeliveryStatus;
  /** Attempts in the current cycle (a re-drive starts a new cycle). */
  attempts: number;
  cycle: number;
  /** Start of the current cycle, epoch ms: maximumEventAgeSeconds counts from here. */
  firstAt: number;
  dueAt: number;
  leaseOwner?: string;
  leaseUntil?: number;
  lastError?: DeliveryError;
  deliveredAt?: number;
  deadAt?: number;
  /** Archive retention of the bus: a delivered record is kept as long as its event. */
  retentionDays: number;
  expiresAt?: number;
  /** Present only while the delivery is owed (pending or running): the sparse due index. */
  gsi1pk?: string;
  gsi1sk?: string;
}

export interface DeadLetter {
  id: string;
  deliveryId: string;
  eventId: string;
  bus: string;
  rule: string;
  function: string;
  event: EventEnvelope;
  error: DeliveryError;
  attempts: number;
  cycle: number;
  failedAt: string;
  status: "dead" | "redriven";
  redrivenAt?: string;
  replayName?: string;
}

export interface ReplayOptions {
  bus: string;
  from: Date;
  to: Date;
  rules?: string[];
  /** Defaults to a generated `local-replay-<ulid>`; it appears as `replay-name` in each envelope. */
  name?: string;
}

export interface ReplayResult {
  replayName: string;
  /** Archived events of the range that matched at least one selected rule and were re-sent. */
  replayed: number;
  deliveries: number;
}
