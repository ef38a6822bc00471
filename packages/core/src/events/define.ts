import { z } from "zod";
import { CorrelationId, currentCorrelationId } from "./correlation.js";

// Every event is declared once: its source, detail-type, version and the schema of its data.
// Publishers and consumers both validate against it, and stacks/ builds rule patterns from it.

export const Metadata = z.object({
  /** Deterministic per state change, so consumers can drop a redelivered event. */
  eventId: z.string().min(1).describe("Deterministic per state change: drop a repeated event by it."),
  version: z.number().int().positive().describe("The event's schema version."),
  occurredAt: z.iso.datetime().describe("When the change happened (ISO 8601, UTC)."),
  /** The causal chain the event belongs to, for the logs; absent on events from before it existed. */
  correlationId: CorrelationId.optional().describe(
    "The causal chain the event belongs to (a request id), for logs.",
  ),
});

export interface EventDefinition<Name extends string = string, Data extends z.ZodType = z.ZodType> {
  source: string;
  detailType: Name;
  version: number;
  data: Data;
  detail: z.ZodType<EventDetail<Data>>;
  /** For the published catalog (AsyncAPI): what happened and when it is sent, and a valid example. */
  docs: EventDocs<Data>;
}

/**
 * What the catalog says about an event. `example` is the event's `data` and must validate against
 * its schema (the catalog test checks it), with made-up ids and no personal data.
 */
export interface EventDocs<Data extends z.ZodType = z.ZodType> {
  description: string;
  example: z.input<Data>;
  /** Set on a version kept only for its deprecation window: the version that replaces it. */
  deprecatedBy?: number;
  /**
   * With `deprecatedBy`: the last day (ISO date, e.g. "2027-09-30") this version is published. After
   * it the definition may be removed; the catalog's versioning test allows that and nothing earlier.
   */
  deprecatedUntil?: string;
}

export type EventDetail<Data extends z.ZodType> = z.infer<typeof Metadata> & { data: z.infer<Data> };
export type EventDataOf<E extends EventDefinition> = z.infer<E["data"]>;

export const defineEvent = <Name extends string, Data extends z.ZodType>(
  source: string,
  detailType: Name,
  version: number,
  data: Data,
  docs: EventDocs<Data>,
): EventDefinition<Name, Data> => ({
  source,
  detailType,
  version,
  data,
  docs,
  detail: Metadata.extend({ version: z.literal(version), data }) as unknown as z.ZodType<EventDetail<Data>>,
});

/** An event ready for the outbox: validated, with its deterministic id. */
export interface DomainEvent {
  source: string;
  detailType: string;
  detail: { eventId: string; version: number; occurredAt: string; correlationId?: string; data: unknown };
}

export const createEvent = <E extends EventDefinition>(
  definition: E,
  eventId: string,
  occurredAt: string,
  data: EventDataOf<E>,
): DomainEvent => ({
  source: definition.source,
  detailType: definition.detailType,
  detail: definition.detail.parse({
    eventId,
    version: definition.version,
    occurredAt,
    ...(currentCorrelationId() ? { correlationId: currentCorrelationId() } : {}),
    data,
  }) as DomainEvent["detail"],
});

/** The EventBridge pattern that selects exactly this event (and version). */
export const patternFor = (definition: EventDefinition): Record<string, unknown> => ({
  source: [definition.source],
  "detail-type": [definition.detailType],
  detail: { version: [definition.version] },
});
