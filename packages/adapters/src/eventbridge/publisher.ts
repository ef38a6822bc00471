import type { DomainEvent } from "@allot/core/events";
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";

const MAX_ENTRIES = 10;
const MAX_ATTEMPTS = 4;

/**
 * Publishes events and says, per event, why it could not be published (undefined when it was):
 * PutEvents answers 200 even when some entries failed, so the failed ones are retried alone
 * before they are reported. A stream consumer fails just those records, which are retried.
 */
export const publishEventsSettled = async (
  client: EventBridgeClient,
  busName: string,
  events: DomainEvent[],
): Promise<Array<string | undefined>> => {
  const outcomes: Array<string | undefined> = events.map(() => undefined);
  for (let i = 0; i < events.length; i += MAX_ENTRIES) {
    let pending = events.slice(i, i + MAX_ENTRIES).map((event, offset) => ({
      index: i + offset,
      entry: {
        EventBusName: busName,
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      } satisfies PutEventsRequestEntry,
    }));
    for (let attempt = 1; pending.length; attempt++) {
      const result = await client.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
      const failed = pending.filter((p, position) => {
        const entry = result.Entries?.[position];
        if (entry?.ErrorCode) outcomes[p.index] = `${entry.ErrorCode}: ${entry.ErrorMessage}`;
        else outcomes[p.index] = undefined;
        return Boolean(entry?.ErrorCode);
      });
      if (attempt >= MAX_ATTEMPTS) break;
      if (failed.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      pending = failed;
    }
  }
  return outcomes;
};

/** Publishes events; what still fails after the retries throws (the caller retries: duplicates, never losses). */
export const publishEvents = async (client: EventBridgeClient, busName: string, events: DomainEvent[]) => {
  const failures = (await publishEventsSettled(client, busName, events)).filter((f) => f !== undefined);
  if (failures.length)
    throw new Error(`PutEvents failed for ${failures.length} entries: ${failures.join("; ")}`);
};
