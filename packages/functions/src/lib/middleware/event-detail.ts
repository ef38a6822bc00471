import type { EventDefinition, EventDetail } from "@allot/core/events";
import type { MiddlewareObj } from "@middy/core";
import type { Context, EventBridgeEvent } from "aws-lambda";

/** Marks an event the consumer refused as malformed; retrying would not help. */
export class MalformedEventError extends Error {
  override name = "Allot.MalformedEvent";
}

export interface EventContext extends Context {
  /** The detail, valid against the event's definition. */
  detail: EventDetail<EventDefinition["data"]>;
}

// Consumers validate what they receive against the same definition the publisher used: a
// rule's pattern selects by name and version, this checks the shape.
export const eventDetail = <Ctx extends EventContext>(
  definition: EventDefinition,
): MiddlewareObj<EventBridgeEvent<string, unknown>, void, Error, Ctx> => ({
  before: (request) => {
    const { event } = request;
    if (event.source !== definition.source || event["detail-type"] !== definition.detailType) {
      throw new MalformedEventError(`Expected ${definition.detailType} from ${definition.source}`);
    }
    const parsed = definition.detail.safeParse(event.detail);
    if (!parsed.success) {
      throw new MalformedEventError(
        `${definition.detailType}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      );
    }
    request.context.detail = parsed.data;
  },
});
