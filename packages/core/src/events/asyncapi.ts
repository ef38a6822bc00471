import { createHmac } from "node:crypto";
import { deterministicId } from "../ids.js";
import {
  exampleDetailOf,
  exampleMetadata,
  exampleWebhookOf,
  type JsonSchema,
  jsonSchemaOf,
  sortedDefinitions,
  webhookSchemaOf,
} from "./catalog.js";
import type { EventDefinition } from "./define.js";

// The AsyncAPI 3.0 document of the catalog, from Allot's side: it sends every event on the bus
// (a channel per source/detail-type/version, the message being the EventBridge envelope) and
// delivers each one as a Standard Webhooks POST to a subscription's URL (one channel whose address
// is the subscriber's, all catalog envelopes as its messages). Payload schemas are the catalog's,
// in JSON Schema draft-07 (AsyncAPI's default schema format is a superset of it).

/** A made-up signing secret the webhook examples are signed with, so a receiver can test its verifier. */
export const exampleSigningSecret = "whsec_ZXhhbXBsZS1zZWNyZXQtbm90LXVzZWQtYW55d2hlcmU=";
const exampleSubscriptionId = "sub_hh3hwf6w6gk2f78pkxfqr05h0j";

/** The id of an event's message and bus channel: "<source without allot.>.<DetailType>.v<version>". */
export const messageIdOf = (definition: EventDefinition) =>
  `${definition.source.replace(/^allot\./, "")}.${definition.detailType.replace(/[^A-Za-z0-9]/g, "")}.v${definition.version}`;

const draft7 = (schema: Parameters<typeof jsonSchemaOf>[0]): JsonSchema => {
  const { $schema: _, ...rest } = jsonSchemaOf(schema, "draft-7");
  return rest;
};

const standardWebhooksHeaders = {
  type: "object",
  description: "The Standard Webhooks headers (https://www.standardwebhooks.com), on every delivery.",
  required: ["webhook-id", "webhook-timestamp", "webhook-signature"],
  properties: {
    "webhook-id": {
      type: "string",
      description:
        "The delivery's id (dlv_…), one per event and subscription: the same on every retry, redelivery and replay, so a receiver drops repeats by it.",
    },
    "webhook-timestamp": {
      type: "string",
      pattern: "^[0-9]+$",
      description:
        "When this attempt was signed, in Unix seconds; receivers refuse timestamps too far from their clock.",
    },
    "webhook-signature": {
      type: "string",
      description:
        'Space-separated signatures "v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">", keyed with the base64-decoded part of the subscription\'s whsec_ secret; during a secret rotation one per valid secret.',
    },
  },
};

const busEnvelope = (definition: EventDefinition) => ({
  type: "object",
  description: "The EventBridge event as a rule target receives it; `detail` is the catalog's detail schema.",
  required: ["source", "detail-type", "detail"],
  properties: {
    version: { type: "string", description: 'EventBridge\'s envelope version, "0".' },
    id: { type: "string", description: "EventBridge's id of this put; use detail.eventId to drop repeats." },
    "detail-type": { type: "string", const: definition.detailType },
    source: { type: "string", const: definition.source },
    account: { type: "string" },
    time: { type: "string", format: "date-time" },
    region: { type: "string" },
    resources: { type: "array", items: { type: "string" } },
    detail: draft7(definition.detail),
  },
});

const busExample = (definition: EventDefinition) => ({
  version: "0",
  id: "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f",
  "detail-type": definition.detailType,
  source: definition.source,
  account: "123456789012",
  time: exampleMetadata.occurredAt.replace(/\.\d{3}Z$/, "Z"),
  region: "us-east-1",
  resources: [],
  detail: exampleDetailOf(definition),
});

const webhookExample = (definition: EventDefinition) => {
  const payload = exampleWebhookOf(definition);
  const id = deterministicId("dlv", exampleSubscriptionId, payload.eventId);
  const timestamp = String(Math.floor(Date.parse(payload.timestamp) / 1000));
  const key = Buffer.from(exampleSigningSecret.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key)
    .update(`${id}.${timestamp}.${JSON.stringify(payload)}`)
    .digest("base64");
  return {
    headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` },
    payload,
  };
};

const deprecationNote = (definition: EventDefinition) =>
  definition.docs.deprecatedBy === undefined
    ? ""
    : ` Deprecated: replaced by version ${definition.docs.deprecatedBy}${
        definition.docs.deprecatedUntil ? `, published until ${definition.docs.deprecatedUntil}` : ""
      }.`;

const deprecationExtensions = (definition: EventDefinition) =>
  definition.docs.deprecatedBy === undefined
    ? {}
    : {
        "x-deprecated-by": definition.docs.deprecatedBy,
        ...(definition.docs.deprecatedUntil ? { "x-deprecated-until": definition.docs.deprecatedUntil } : {}),
      };

const messageBase = (definition: EventDefinition) => ({
  name: definition.detailType,
  title: `${definition.detailType} v${definition.version}`,
  summary: `${definition.source} · ${definition.detailType} · version ${definition.version}`,
  description: definition.docs.description + deprecationNote(definition),
  contentType: "application/json",
  tags: [{ name: definition.source }],
  ...deprecationExtensions(definition),
});

export interface AsyncApiOptions {
  /** The document's own version (events carry theirs). */
  version?: string;
}

/** The AsyncAPI 3.0 document (`GET /asyncapi.json`, docs/events/asyncapi.json). */
export const asyncApiDocument = (definitions: EventDefinition[], options: AsyncApiOptions = {}) => {
  const sorted = sortedDefinitions(definitions);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const webhookMessages: Record<string, unknown> = {};
  for (const definition of sorted) {
    const id = messageIdOf(definition);
    messages[id] = {
      ...messageBase(definition),
      payload: busEnvelope(definition),
      examples: [{ name: "example", payload: busExample(definition) }],
    };
    messages[`${id}.webhook`] = {
      ...messageBase(definition),
      headers: { $ref: "#/components/schemas/StandardWebhooksHeaders" },
      payload: draft7(webhookSchemaOf(definition)),
      examples: [{ name: "example", ...webhookExample(definition) }],
    };
    channels[id] = {
      address: `${definition.source}/${definition.detailType}/${definition.version}`,
      title: `${definition.detailType} v${definition.version}`,
      description: `Events with source "${definition.source}", detail-type "${definition.detailType}" and detail.version ${definition.version} on the bus. A rule selects them with {"source":["${definition.source}"],"detail-type":["${definition.detailType}"],"detail":{"version":[${definition.version}]}}.`,
      servers: [{ $ref: "#/servers/eventbridge" }, { $ref: "#/servers/local" }],
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
    };
    operations[`publish.${id}`] = {
      action: "send",
      title: `Publish ${definition.detailType} v${definition.version}`,
      summary: definition.docs.description,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
    };
    webhookMessages[`${id}.webhook`] = { $ref: `#/components/messages/${id}.webhook` };
  }
  channels.webhooks = {
    address: null,
    title: "A subscription's endpoint",
    description:
      "The HTTPS URL of a webhook subscription (POST /webhooks/subscriptions). Each event matching the subscription's EventBridge pattern is POSTed there as the catalog envelope ({type, source, version, eventId, timestamp, correlationId?, data}), signed per Standard Webhooks. A 2xx answer acknowledges it; network errors, timeouts, 408, 409, 429 and 5xx are retried with exponential backoff and jitter for at least 24 hours (honouring Retry-After); other 4xx are not retried.",
    servers: [{ $ref: "#/servers/webhooks" }],
    messages: webhookMessages,
  };
  operations.deliverWebhook = {
    action: "send",
    title: "Deliver a webhook",
    summary: "POST one event to a subscription's endpoint, signed per Standard Webhooks, at least once.",
    channel: { $ref: "#/channels/webhooks" },
    messages: Object.keys(webhookMessages).map((id) => ({ $ref: `#/channels/webhooks/messages/${id}` })),
  };
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Allot events",
      version: options.version ?? "1.0.0",
      description:
        "Every event Allot publishes, per source, detail-type and version, on its EventBridge bus and as Standard Webhooks deliveries. Events carry ids, never personal data. Additive changes (a new optional field) keep an event's version: ignore fields you do not know. Removing or changing a field makes a new version, and both are published during a deprecation window (the old one names its successor). The same schemas, as JSON Schema draft 2020-12, are at GET /events/catalog.",
    },
    defaultContentType: "application/json",
    servers: {
      eventbridge: {
        host: "events.{region}.amazonaws.com",
        protocol: "https",
        title: "The Allot event bus (Amazon EventBridge)",
        description:
          "The stage's custom bus (named in the stage's outputs). Subscribe with an EventBridge rule on it: from Allot's own account, or from a partner account allowed by the bus policy (sources allot.*).",
        variables: { region: { default: "us-east-1", description: "The stage's AWS region." } },
      },
      local: {
        host: "127.0.0.1:4566",
        protocol: "http",
        title: "The local bus (npm start)",
        description:
          'The local runtime\'s EventBridge edge, bus "allot": any AWS SDK works against it with the endpoint changed.',
      },
      webhooks: {
        host: "{receiver}",
        protocol: "https",
        title: "Webhook receivers",
        description:
          "Each subscription's own URL (HTTPS; loopback HTTP only locally). Allot is the client: it POSTs, the receiver answers.",
        variables: { receiver: { description: "The host (and port) of the subscription's URL." } },
      },
    },
    channels,
    operations,
    components: {
      schemas: { StandardWebhooksHeaders: standardWebhooksHeaders },
      messages,
    },
  };
};
