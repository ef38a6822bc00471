import { z } from "zod";
import { WebhookPayload } from "../webhook/payload.js";
import type { EventDefinition } from "./define.js";

// The published event catalog: one entry per (source, detail-type, version), with the JSON Schema
// (draft 2020-12) of what a bus subscriber receives as `detail` and of what a webhook receiver
// receives as the body, each with an example that validates against it. Generated from the zod
// definitions that validate publish and consume, so the catalog cannot drift from the events.
// Schemas are written for the input side (what `data.parse` accepts): objects allow properties
// they do not name, because adding an optional field keeps the version (README, "Event versioning").

export type JsonSchema = Record<string, unknown>;

export interface CatalogEntry {
  source: string;
  detailType: string;
  version: number;
  description: string;
  /** The version that replaces this one; this one is published until `deprecatedUntil`. */
  deprecatedBy?: number;
  /** The last day (ISO date) of the deprecation window: after it the version may stop being published. */
  deprecatedUntil?: string;
  schema: { detail: JsonSchema; webhook: JsonSchema };
  example: { detail: Record<string, unknown>; webhook: Record<string, unknown> };
}

/** The fixed metadata of every example, so the catalog is the same on every run. */
export const exampleMetadata = {
  eventId: "awd_dkg9g94c2p91rs3akng9hvcqec:example",
  occurredAt: "2027-03-01T09:30:00.000Z",
  correlationId: "req-7f3c2a9e",
};

/** The body a webhook receiver gets for this event: the catalog envelope with this event's data. */
export const webhookSchemaOf = (definition: EventDefinition) =>
  WebhookPayload.extend({
    type: z.literal(definition.detailType).describe("The event's detail-type."),
    source: z.literal(definition.source).describe("The bus source of the event."),
    version: z.literal(definition.version).describe("The event's schema version."),
    data: definition.data,
  });

export const jsonSchemaOf = (schema: z.ZodType, target: "draft-2020-12" | "draft-7" = "draft-2020-12") =>
  z.toJSONSchema(schema, { io: "input", target }) as JsonSchema;

const keyOf = (e: { source: string; detailType: string; version: number }) =>
  `${e.source}\u0000${e.detailType}\u0000${String(e.version).padStart(6, "0")}`;

/** Sorted by source, detail-type and version: the order of the published documents. */
export const sortedDefinitions = (definitions: EventDefinition[]) =>
  [...definitions].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

const docsOf = (definition: EventDefinition) => {
  if (!definition.docs)
    throw new Error(`${definition.source} ${definition.detailType} v${definition.version} has no docs`);
  return definition.docs;
};

export const exampleDetailOf = (definition: EventDefinition) => ({
  eventId: exampleMetadata.eventId,
  version: definition.version,
  occurredAt: exampleMetadata.occurredAt,
  correlationId: exampleMetadata.correlationId,
  data: docsOf(definition).example as unknown,
});

export const exampleWebhookOf = (definition: EventDefinition) => ({
  type: definition.detailType,
  source: definition.source,
  version: definition.version,
  eventId: exampleMetadata.eventId,
  timestamp: exampleMetadata.occurredAt,
  correlationId: exampleMetadata.correlationId,
  data: docsOf(definition).example as unknown,
});

export const catalogEntryOf = (definition: EventDefinition): CatalogEntry => {
  const docs = docsOf(definition);
  return {
    source: definition.source,
    detailType: definition.detailType,
    version: definition.version,
    description: docs.description,
    ...(docs.deprecatedBy !== undefined ? { deprecatedBy: docs.deprecatedBy } : {}),
    ...(docs.deprecatedUntil !== undefined ? { deprecatedUntil: docs.deprecatedUntil } : {}),
    schema: { detail: jsonSchemaOf(definition.detail), webhook: jsonSchemaOf(webhookSchemaOf(definition)) },
    example: { detail: exampleDetailOf(definition), webhook: exampleWebhookOf(definition) },
  };
};

/** The catalog document (`GET /events/catalog`, docs/events/catalog.json). */
export const eventCatalogDocument = (definitions: EventDefinition[]): CatalogEntry[] =>
  sortedDefinitions(definitions).map(catalogEntryOf);
