import {
  type Actor,
  DomainError,
  type FieldIssue,
  fieldIssuesOf,
  Role,
  retryOnConcurrentModification,
} from "@allot/core";
import { routes } from "@allot/stacks/routes";
import { Logger } from "@aws-lambda-powertools/logger";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { z } from "zod";
import { withIdempotencyKey } from "./idempotency.js";
import { validPathParameters } from "./path-parameters.js";

// One middleware stack for every HTTP handler: authenticate → authorize by the route's roles
// in stacks/ → check the path's ids → parse and validate the body → handle → map errors. Handlers see typed input
// and an Actor, and return plain data.

const logger = new Logger({ serviceName: "allot-http" });

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

const statusOf: Record<DomainError["kind"], number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export interface HttpRequest<Body> {
  actor: Actor;
  body: Body;
  path: Record<string, string>;
  query: Record<string, string>;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** On routes that take an Idempotency-Key: the operation it names, for deterministic ids. */
  operationId?: string;
}

export interface HttpResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** What a client error (4xx) answers; undefined for anything else. */
const clientAnswer = (error: unknown): HttpResult | undefined => {
  if (!(error instanceof HttpError || error instanceof DomainError)) return undefined;
  return {
    status: error instanceof HttpError ? error.statusCode : statusOf[error.kind],
    body: { message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) },
  };
};

export const issuesFromZod = (error: z.ZodError): FieldIssue[] => fieldIssuesOf(error);

const actorOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Actor => {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const role = Role.safeParse(claims["allot:role"]);
  if (typeof claims.sub !== "string" || !claims.sub || !role.success) {
    throw new HttpError(401, "A valid bearer token with a subject and an Allot role is required");
  }
  return { userId: claims.sub, role: role.data };
};

const authorize = (event: APIGatewayProxyEventV2WithJWTAuthorizer, actor: Actor) => {
  const route = routes.find((r) => `${r.method} ${r.path}` === event.routeKey);
  if (!route) throw new Error(`No route in stacks/ for ${event.routeKey}`);
  if (!route.roles.includes(actor.role)) {
    throw new HttpError(403, `The ${actor.role} role may not call ${event.routeKey}`);
  }
};

const parseBody = <S extends z.ZodType>(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  schema: S,
): z.infer<S> => {
  let raw: unknown;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body ?? "", "base64").toString("utf8")
      : event.body;
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    throw new HttpError(400, "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "The request body is invalid", issuesFromZod(parsed.error));
  return parsed.data;
};

export const httpHandler = <S extends z.ZodType | undefined = undefined>(options: {
  body?: S;
  /** For bodies the domain validates itself (to report schema and business problems in one answer): the schema it applies, for the documentation. */
  bodyValidatedInCore?: z.ZodType;
  public?: boolean;
  handle: (request: HttpRequest<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<HttpResult>;
}) =>
  Object.assign(
    middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>().handler(
      async (event) => {
        try {
          const actor = options.public ? { userId: "anonymous", role: "applicant" as const } : actorOf(event);
          if (!options.public) authorize(event, actor);
          const path = validPathParameters(event.pathParameters ?? {});
          const body = (options.body ? parseBody(event, options.body) : undefined) as S extends z.ZodType
            ? z.infer<S>
            : undefined;
          const result = await withIdempotencyKey(
            { event, actor, body },
            // A command that lost a race with another writer runs again from fresh reads.
            (operationId) =>
              retryOnConcurrentModification(() =>
                options.handle({
                  actor,
                  body,
                  path,
                  query: (event.queryStringParameters ?? {}) as Record<string, string>,
                  event,
                  operationId,
                }),
              ),
            clientAnswer,
          );
          return json(result.status ?? 200, result.body, result.headers);
        } catch (error) {
          const answer = clientAnswer(error);
          if (answer) return json(answer.status ?? 400, answer.body);
          // 5xx never leaks internals: the details go to the log with the request id to find them.
          const requestId = event.requestContext?.requestId;
          logger.error("unhandled error", { error: error as Error, requestId, routeKey: event.routeKey });
          return json(500, { message: "Internal error; quote this request id to support", requestId });
        }
      },
    ),
    // The body schema, for the test that keeps the OpenAPI document equal to what is validated.
    { bodySchema: options.bodyValidatedInCore ?? options.body },
  );
