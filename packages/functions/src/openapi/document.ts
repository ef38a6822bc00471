import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "@allot/core/idempotency";
import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import { pathParameterSchemas } from "../lib/path-parameters.js";
import { ErrorAnswer } from "../responses/common.js";
import { type RouteContract, routeContracts } from "./contracts.js";

// The OpenAPI document, generated from the routes in stacks/ and the schemas each handler
// validates with and answers with, so it cannot drift from what the API does. It is written to
// packages/functions/openapi.json (`npm run openapi`) and served from there: Lambda bundles
// carry the JSON, not the generator and every handler.

const idempotencyKey = z.string().min(1).max(255).regex(new RegExp(IDEMPOTENCY_KEY_PATTERN)).meta({
  description:
    "A unique value per operation (e.g. a UUID), sent again unchanged when retrying it: the same key with the same request answers what the first answered (header Idempotent-Replayed: true) and runs once; the same key with another path or body is 409, as is a key whose first request is still running. Kept for 24 hours.",
});

const csvTable = z.string().meta({
  description:
    "The same report as RFC 4180 CSV (UTF-8, CRLF, a header row; a text cell starting with = + - @ or a tab is prefixed with an apostrophe). Asked for with `format=csv` or `Accept: text/csv`.",
});

const successDescriptions: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted: the rest happens asynchronously",
  503: "Not finished in time: send the same request again",
};

const errorDescriptions: Record<number, string> = {
  400: "The request is invalid; `issues` names each field and what to fix",
  401: "No valid bearer token (or, on signed webhooks, no valid signature)",
  403: "The caller's role may not call this operation",
  404: "Not found, or not visible to the caller",
  409: "Conflicts with the current state, or the Idempotency-Key was used for another request",
  413: "The body is too large",
  500: "Internal error; the answer carries a request id to quote",
};

const pathParametersOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

/** The client errors a route can give, from its shape and what its handler declares. */
const errorStatusesOf = ({ route, contract }: RouteContract): number[] => {
  const params = pathParametersOf(route.path).length > 0;
  const statuses = new Set(contract.errors ?? []);
  if (params || contract.query || contract.body || route.idempotencyKey) statuses.add(400);
  if (!route.public) for (const s of [401, 403]) statuses.add(s);
  if (params) statuses.add(404);
  if (route.method !== "GET" || route.idempotencyKey) statuses.add(409);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
};

const operationOf = (entry: RouteContract): ZodOpenApiOperationObject => {
  const { route, fn, contract } = entry;
  const path = pathParametersOf(route.path);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, schema] of Object.entries(contract.responses)) {
    responses[status] = {
      description: successDescriptions[Number(status)] ?? "OK",
      content: {
        "application/json": { schema },
        ...(contract.csv && status === "200" ? { "text/csv": { schema: csvTable } } : {}),
      },
    };
  }
  for (const status of errorStatusesOf(entry)) {
    responses[String(status)] = {
      description: errorDescriptions[status] ?? "Error",
      content: { "application/json": { schema: ErrorAnswer } },
    };
  }
  return {
    operationId: route.function,
    summary: fn.description,
    ...(route.public
      ? { security: [] }
      : route.scopes
        ? { security: [{ bearer: [] }, { oauth2: route.scopes }] }
        : {}),
    "x-allot-roles": route.roles,
    ...(route.scopes ? { "x-allot-scopes": route.scopes } : {}),
    ...(route.localOnly ? { "x-allot-local-only": route.localOnly } : {}),
    requestParams: {
      ...(path.length
        ? {
            path: z.object(
              Object.fromEntries(
                path.map((name) => {
                  const schema = pathParameterSchemas[name];
                  if (!schema) throw new Error(`No format for the path parameter ${name} of ${route.path}`);
                  return [name, schema];
                }),
              ),
            ),
          }
        : {}),
      ...(contract.query ? { query: contract.query as z.ZodObject } : {}),
      ...(route.idempotencyKey ? { header: z.object({ [IDEMPOTENCY_HEADER]: idempotencyKey }) } : {}),
    },
    ...(contract.body
      ? { requestBody: { required: true, content: { "application/json": { schema: contract.body } } } }
      : {}),
    responses,
  };
};

/** The document for these contracts (all of stacks/ by default). */
export const openApiDocument = async (contracts?: RouteContract[]) => {
  const paths: ZodOpenApiPathsObject = {};
  for (const entry of contracts ?? (await routeContracts())) {
    paths[entry.route.path] = {
      ...paths[entry.route.path],
      [entry.route.method.toLowerCase()]: operationOf(entry),
    };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Allot API",
        version: "0.1.0",
        description:
          "Research grants and compute-credit programs. `x-allot-roles` on each operation lists the roles (the token's `allot:role` claim) that may call it; the handler enforces finer rules (ownership, assignment). An integration's token (OAuth 2.0 client credentials) also needs one of the operation's `x-allot-scopes`. An operation with `x-allot-local-only` is served by the local runtime only, not deployed to AWS; the text says what does its job there.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          // Integrations: client credentials at the issuer (locally Allot's, on AWS Cognito's domain).
          oauth2: {
            type: "oauth2",
            flows: {
              clientCredentials: {
                tokenUrl: "/oauth2/token",
                scopes: {
                  "usage:write": "Send usage records",
                  "events:subscribe": "Manage webhook subscriptions",
                  "events:read": "Read deliveries and events",
                  "programs:read": "Read programs and calls",
                },
              },
            },
          },
        },
      },
      security: [{ bearer: [] }],
      paths,
    },
    {
      // Answers are open: a view may gain a field without breaking a client, so the document
      // never promises that an answer has no other properties. Requests stay as validated.
      override: ({ jsonSchema, io }) => {
        if (io === "output" && jsonSchema.additionalProperties === false)
          delete jsonSchema.additionalProperties;
      },
    },
  );
};
