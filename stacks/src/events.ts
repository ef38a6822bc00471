import type { EventDefinition } from "@allot/core/events";
import { proposalEvents } from "@allot/core/proposal";

/** Every event Allot publishes: the catalog integrations subscribe from. */
export const eventCatalog: EventDefinition[] = [...proposalEvents];
