import { retryOnConcurrentModification } from "@allot/core";
import type { EventDataOf, EventDefinition } from "@allot/core/events";
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";

/** Marks an event the consumer refused as malformed; retrying would not help. */
export class MalformedEventError extends Error {
  override name = "Allot.MalformedEvent";
}

// Consumers validate what they receive against the same definition the publisher used: a
// rule's pattern selects by name and version, this checks the shape.
export const onEvent = <E extends EventDefinition>(
  definition: E,
  handle: (data: EventDataOf<E>, meta: { eventId: string; occurredAt: string }) => Promise<void>,
) =>
  middy<EventBridgeEvent<string, unknown>, void>().handler(async (event) => {
    if (event.source !== definition.source || event["detail-type"] !== definition.detailType) {
      throw new MalformedEventError(`Expected ${definition.detailType} from ${definition.source}`);
    }
    const parsed = definition.detail.safeParse(event.detail);
    if (!parsed.success) {
      throw new MalformedEventError(
        `${definition.detailType}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      );
    }
    await retryOnConcurrentModification(() =>
      handle(parsed.data.data as EventDataOf<E>, {
        eventId: parsed.data.eventId,
        occurredAt: parsed.data.occurredAt,
      }),
    );
  });
