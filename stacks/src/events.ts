import { awardEvents, closeoutEvents } from "@allot/core/award";
import type { EventDefinition } from "@allot/core/events";
import { outputEvents } from "@allot/core/output";
import { programEvents } from "@allot/core/program";
import { proposalEvents } from "@allot/core/proposal";
import { reservationEvents } from "@allot/core/reservation";
import { reviewEvents } from "@allot/core/review";
import { usageEvents } from "@allot/core/usage";
import { webhookEvents } from "@allot/core/webhook";

/** Every event Allot publishes: the catalog integrations subscribe from. */
export const eventCatalog: EventDefinition[] = [
  ...programEvents,
  ...proposalEvents,
  ...reviewEvents,
  ...awardEvents,
  ...closeoutEvents,
  ...usageEvents,
  ...reservationEvents,
  ...outputEvents,
  ...webhookEvents,
];
