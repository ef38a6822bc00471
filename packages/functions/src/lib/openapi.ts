import { notifyProjectCreateSchema } from "@allot/adapters";
import { Extension, StaffReason, TopUp } from "@allot/core/award";
import { CallInput, PoolExtension } from "@allot/core/call";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "@allot/core/idempotency";
import { PartnerInstitutionFields, Program } from "@allot/core/program";
import { Decision, ProposalDraft, ProposalDraftPatch, Withdrawal } from "@allot/core/proposal";
import { ReservationRequest } from "@allot/core/reservation";
import { ConflictDeclaration, ReviewerProfileFields, ReviewSubmission } from "@allot/core/review";
import { UsageBatch } from "@allot/core/usage";
import { routes } from "@allot/stacks/routes";
import { z } from "zod";
import { pathParameterSchemas } from "./path-parameters.js";

// Generated from the same zod schemas the handlers validate with and the routes in stacks/,
// so the document cannot drift from what the API accepts.
export const requestBodies: Record<string, z.ZodType> = {
  "POST /awards/{awardId}/top-up": TopUp,
  "POST /awards/{awardId}/extend": Extension,
  "POST /awards/{awardId}/suspend": StaffReason,
  "POST /awards/{awardId}/resume": StaffReason,
  "POST /awards/{awardId}/revoke": StaffReason,
  "POST /awards/{awardId}/redrive": StaffReason,
  "POST /provider/notifications": notifyProjectCreateSchema,
  "POST /proposals": ProposalDraft,
  "PATCH /proposals/{proposalId}": ProposalDraftPatch,
  "POST /proposals/{proposalId}/withdraw": Withdrawal,
  "POST /assignments/{assignmentId}/review": ReviewSubmission,
  "POST /assignments/{assignmentId}/conflict": ConflictDeclaration,
  "POST /proposals/{proposalId}/decision": Decision,
  "POST /programs": Program,
  "POST /programs/{programId}/calls": CallInput,
  "PUT /programs/{programId}/institutions/{institutionId}": PartnerInstitutionFields,
  "POST /calls/{callId}/reviewers": PoolExtension,
  "PUT /reviewers/{reviewerId}": ReviewerProfileFields,
  "POST /usage": UsageBatch,
  "POST /awards/{awardId}/reservations": ReservationRequest,
};

const idempotencyKeyParameter = {
  name: IDEMPOTENCY_HEADER,
  in: "header",
  required: true,
  description:
    "A unique value per operation (e.g. a UUID), sent again unchanged when retrying it: the same key with the same request answers what the first answered (header Idempotent-Replayed: true) and runs once; the same key with another path or body is 409, as is a key whose first request is still running. Kept for 24 hours.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN },
};

export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const body = requestBodies[key];
    const parameters: Array<Record<string, unknown>> = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: z.toJSONSchema(pathParameterSchemas[m[1] as string] ?? z.string()),
    }));
    if (route.idempotencyKey) parameters.push(idempotencyKeyParameter);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.function,
      summary: key,
      description: route.public ? "Public." : `Roles: ${route.roles.join(", ")}.`,
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: z.toJSONSchema(body, { io: "input" }) } },
            },
          }
        : {}),
      responses: {
        "200": { description: "OK" },
        "400": { description: "The request is invalid; `issues` names each field and what to fix" },
        "401": { description: "No valid bearer token" },
        "403": { description: "The caller's role may not do this" },
        "404": { description: "Not found (or not visible to the caller)" },
        "409": { description: "Conflicts with the current state" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Allot API",
      version: "0.1.0",
      description: "Research grants and compute-credit programs",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    security: [{ bearer: [] }],
    paths,
  };
};
