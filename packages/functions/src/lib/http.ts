import { type Actor, type FieldIssue, fieldIssuesOf, retryOnConcurrentModification } from "@allot/core";
import { withCorrelationId } from "@allot/core/events";
import type { CsvTable } from "@allot/core/report";
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { z } from "zod";
import { csvResponse, HttpError, type HttpResult, jsonResponse, wantsCsv } from "./http-answer.js";
import { withIdempotencyKey } from "./idempotency.js";
import type { LambdaHandler } from "./lambda-handler.js";
import { createLogger } from "./logger.js";
import { publishMetrics } from "./metrics.js";
import { authenticate } from "./middleware/authenticate.js";
import { CORRELATION_HEADER, correlationId, correlationIdIn } from "./middleware/correlation-id.js";
import { errorAnswer } from "./middleware/error-answer.js";
import type { HttpContext } from "./middleware/http-context.js";
import { jsonBody } from "./middleware/json-body.js";
import { pathIds } from "./middleware/path-ids.js";
import { validateBody } from "./middleware/validate-body.js";

// One middleware stack for every HTTP handler: trace → correlate and log → authenticate and
// authorize by the route's roles in stacks/ → check the path's ids → parse and validate the body
// → handle (with the route's Idempotency-Key, if any) → map errors. Handlers see typed input and
// an Actor, and return plain data.

export { clientAnswer, HttpError, type HttpResult } from "./http-answer.js";

import { traceInvocation } from "./tracing.js";

export interface HttpRequest<Body, Query = Record<string, string>> {
  actor: Actor;
  body: Body;
  path: Record<string, string>;
  /** Parsed by the handler's `query` schema when it declares one. */
  query: Query;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** On routes that take an Idempotency-Key: the operation it names, for deterministic ids. */
  operationId?: string;
  /** From the client's `x-correlation-id`, else the gateway's request id; stamped on the events the command emits. */
  correlationId: string;
  /** The function's logger, with the Lambda context and the correlation id on every line. */
  logger: Logger;
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
  /** The 200 answer is also given as CSV (`?format=csv` or `Accept: text/csv`). */
  csv?: boolean;
}

export const issuesFromZod = (error: z.ZodError): FieldIssue[] => fieldIssuesOf(error);

const correlationOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  correlationIdIn(event.headers?.[CORRELATION_HEADER]) ?? correlationIdIn(event.requestContext?.requestId);

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
  /**
   * The 200 answer as a table, for callers that ask for CSV (`?format=csv`, or an Accept header
   * with text/csv and no `format=json`).
   */
  csv?: (body: { [K in keyof R]: R[K] extends z.ZodType ? z.input<R[K]> : never }[keyof R]) => CsvTable;
  handle: (
    request: HttpRequest<
      S extends z.ZodType ? z.infer<S> : undefined,
      Q extends z.ZodType ? z.infer<Q> : Record<string, string>
    >,
  ) => Promise<HttpResult<{ [K in keyof R]: R[K] extends z.ZodType ? z.input<R[K]> : never }[keyof R]>>;
}) => {
  const logger = createLogger("allot-http");
  const stack = middy<
    APIGatewayProxyEventV2WithJWTAuthorizer,
    APIGatewayProxyStructuredResultV2,
    Error,
    HttpContext
  >()
    .use(traceInvocation())
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(correlationId(logger, correlationOf))
    .use(errorAnswer(logger))
    .use(authenticate({ public: options.public }))
    .use(pathIds());
  if (options.body) stack.use(jsonBody()).use(validateBody(options.body));
  return Object.assign(
    stack.handler(async (event, context) => {
      const { actor, path, correlationId, logger } = context;
      const body = context.body as S extends z.ZodType ? z.infer<S> : undefined;
      const query = (
        options.query ? parseQuery(event, options.query) : (event.queryStringParameters ?? {})
      ) as Q extends z.ZodType ? z.infer<Q> : Record<string, string>;
      const result = await withCorrelationId(correlationId, () =>
        withIdempotencyKey(
          { event, actor, body },
          // A command that lost a race with another writer runs again from fresh reads.
          (operationId) =>
            retryOnConcurrentModification(() =>
              options.handle({ actor, body, path, query, event, operationId, correlationId, logger }),
            ),
        ),
      );
      const status = result.status ?? 200;
      if (options.csv && status === 200 && wantsCsv(event))
        return csvResponse(options.csv(result.body as Parameters<typeof options.csv>[0]), result.headers);
      return jsonResponse(status, result.body, result.headers);
    }) as unknown as LambdaHandler<
      APIGatewayProxyEventV2WithJWTAuthorizer,
      APIGatewayProxyStructuredResultV2
    >,
    // Read by the OpenAPI generator, so the document is what the handler validates and answers.
    {
      contract: {
        body: options.bodyValidatedInCore ?? options.body,
        query: options.query,
        responses: options.responses,
        errors: options.errors,
        ...(options.csv ? { csv: true } : {}),
      } satisfies HttpContract,
    },
  );
};
