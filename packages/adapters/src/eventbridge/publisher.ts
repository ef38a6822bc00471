import type { DomainEvent } from "@allot/core/events";
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";

const MAX_ENTRIES = 10;
const MAX_ATTEMPTS = 4;

/**
 * Publishes events, checking each entry: PutEvents answers 200 even when some entries failed,
 * so the failed ones are retried alone, and what still fails after the last attempt throws
 * (the caller, a stream consumer, then retries the whole batch: duplicates, never losses).
 */
export const publishEvents = async (client: EventBridgeClient, busName: string, events: DomainEvent[]) => {
  for (let i = 0; i < events.length; i += MAX_ENTRIES) {
    let pending: PutEventsRequestEntry[] = events.slice(i, i + MAX_ENTRIES).map((event) => ({
      EventBusName: busName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    }));
    for (let attempt = 1; pending.length; attempt++) {
      const result = await client.send(new PutEventsCommand({ Entries: pending }));
      const failed = pending.filter((_, index) => result.Entries?.[index]?.ErrorCode);
      if (failed.length && attempt >= MAX_ATTEMPTS) {
        const codes = (result.Entries ?? []).flatMap((e) =>
          e.ErrorCode ? [`${e.ErrorCode}: ${e.ErrorMessage}`] : [],
        );
        throw new Error(`PutEvents failed for ${failed.length} entries: ${codes.join("; ")}`);
      }
      if (failed.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      pending = failed;
    }
  }
};
