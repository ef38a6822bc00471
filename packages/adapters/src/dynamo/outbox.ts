import type { DomainEvent } from "@allot/core/events";
import { outboxKeys } from "./keys.js";

// The transactional outbox: an event is an item written in the same transaction as the state
// change it describes; the table's stream carries it to the relay, which publishes it. Kept
// 30 days for inspection; the bus archive is the event history.
const RETENTION_SECONDS = 30 * 24 * 3600;

export const outboxPut = (tableName: string, event: DomainEvent, now: Date) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...outboxKeys.key(event.detail.eventId),
      source: event.source,
      detailType: event.detailType,
      detail: JSON.stringify(event.detail),
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
    },
    // No condition: a repeated event id is the same state change written again; the overwrite
    // is a MODIFY on the stream, which the relay's INSERT-only filter drops, so it is published
    // once without failing the transaction it rides in.
  },
});

/** The outbox item as the stream delivers it, back to an event. */
export const eventFromOutboxItem = (item: Record<string, unknown>): DomainEvent => ({
  source: String(item.source),
  detailType: String(item.detailType),
  detail: JSON.parse(String(item.detail)),
});
