import { eventFromOutboxItem, publishEventsSettled } from "@allot/adapters";
import { busName, eventBridge } from "../lib/deps.js";
import { onStreamRecords } from "../lib/stream.js";

// The stream subscription's filter (stacks/src/streams.ts) only lets new outbox items through.
// An event that cannot be published fails alone and is retried from there: consumers may see a
// duplicate, never a gap.
export const handler = onStreamRecords("allot-outbox-relay", {
  itemOf: (item) => eventFromOutboxItem(item),
  handle: (events) => publishEventsSettled(eventBridge(), busName(), events),
});
