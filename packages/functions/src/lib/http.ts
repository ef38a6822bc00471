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

export interface HttpRequest<Body, Query = Record<string, string>> {
  actor: Actor;
  body: Body;
  path: Record<string, string>;
  /** Parsed by the handler's `query` schema when it declares one. */
  query: Query;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** On routes that take an Idempotency-Key: the operation it names, for deterministic ids. */
  operationId?: string;
}

export interface HttpResult<Body = unknown> {
  status?: number;
  body: Body;
  headers?: Record<string, string>;
}

/** The answers a handler declares, by status code: the schemas the OpenAPI document and its tests use. */
export type HttpResponses = Partial<Record<200 | 201 | 202 | 503, z.ZodType>>;

/** What a handler says about itself for the OpenAPI document (see ../openapi/document.ts). */
export interface HttpContract {
  body?: z.ZodType;
  query?: z.ZodType;
  responses: HttpResponses;
  /** Client errors beyond those the route's shape implies (400/401/403/404/409), e.g. 413. */
  errors?: number[];
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

const parseQuery = <Q extends z.ZodType>(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  schema: Q,
): z.infer<Q> => {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new HttpError(400, "The query is invalid", issuesFromZod(parsed.error));
  return parsed.data;
};

export const httpHandler = <
  S extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  R extends HttpResponses = HttpResponses,
>(options: {
  body?: S;
  /** For bodies the domain validates itself (to report schema and business problems in one answer): the schema it applies, for the documentation. */
  bodyValidatedInCore?: z.ZodType;
  /** The query string's schema: a value it refuses is a 400 naming the parameter. */
  query?: Q;
  /** Each success status the handler answers, with its body's schema; the handler's bodies must fit them. */
  responses: R;
  errors?: number[];
  public?: boolean;
  handle: (
    request: HttpRequest<
      S extends z.ZodType ? z.infer<S> : undefined,
      Q extends z.ZodType ? z.infer<Q> : Record<string, string>
    >,
  ) => Promise<HttpResult<{ [K in keyof R]: R[K] extends z.ZodType ? z.input<R[K]> : never }[keyof R]>>;
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
                  query: (options.query
                    ? parseQuery(event, options.query)
                    : (event.queryStringParameters ?? {})) as Q extends z.ZodType
                    ? z.infer<Q>
                    : Record<string, string>,
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
    // Read by the OpenAPI generator, so the document is what the handler validates and answers.
    {
      contract: {
        body: options.bodyValidatedInCore ?? options.body,
        query: options.query,
        responses: options.responses,
        errors: options.errors,
      } satisfies HttpContract,
    },
  );
