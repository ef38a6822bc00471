import { z } from "zod";

// The body of every webhook: the event in the catalog's envelope (the AsyncAPI document describes
// it, with each event's `data` schema). It carries what the bus event carries, ids and no
// personal data, under names an integration can rely on whatever the transport.

export const WebhookPayload = z.object({
  /** The event's detail-type, e.g. "Award Activated". */
  type: z.string(),
  /** The bus source, e.g. "allot.awards". */
  source: z.string(),
  /** The event's schema version (the catalog publishes each). */
  version: z.number().int().positive(),
  /** Deterministic per state change: a receiver drops a repeat by it (or by webhook-id). */
  eventId: z.string(),
  /** When the change happened (ISO 8601, UTC). */
  timestamp: z.iso.datetime(),
  correlationId: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** An EventBridge envelope (as a rule target receives it) in the catalog's envelope. */
export const webhookPayload = (event: {
  source: string;
  "detail-type": string;
  detail: { eventId: string; version: number; occurredAt: string; correlationId?: string; data: unknown };
}): WebhookPayload => ({
  type: event["detail-type"],
  source: event.source,
  version: event.detail.version,
  eventId: event.detail.eventId,
  timestamp: event.detail.occurredAt,
  ...(event.detail.correlationId ? { correlationId: event.detail.correlationId } : {}),
  data: event.detail.data as Record<string, unknown>,
});
