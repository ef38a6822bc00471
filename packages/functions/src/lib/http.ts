import { type Actor, type FieldIssue, fieldIssuesOf, retryOnConcurrentModification } from "@allot/core";
import { withCorrelationId } from "@allot/core/events";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { z } from "zod";
import { type HttpResult, jsonResponse } from "./http-answer.js";
import { withIdempotencyKey } from "./idempotency.js";
import type { LambdaHandler } from "./lambda-handler.js";
import { authenticate } from "./middleware/authenticate.js";
import { CORRELATION_HEADER, correlationId, correlationIdIn } from "./middleware/correlation-id.js";
import { errorAnswer } from "./middleware/error-answer.js";
import type { HttpContext } from "./middleware/http-context.js";
import { jsonBody } from "./middleware/json-body.js";
import { pathIds } from "./middleware/path-ids.js";
import { validateBody } from "./middleware/validate-body.js";

// One middleware stack for every HTTP handler: correlate and log → authenticate and authorize by
// the route's roles in stacks/ → check the path's ids → parse and validate the body → handle
// (with the route's Idempotency-Key, if any) → map errors. Handlers see typed input and an
// Actor, and return plain data.

export { clientAnswer, HttpError, type HttpResult } from "./http-answer.js";

export interface HttpRequest<Body> {
  actor: Actor;
  body: Body;
  path: Record<string, string>;
  query: Record<string, string>;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** On routes that take an Idempotency-Key: the operation it names, for deterministic ids. */
  operationId?: string;
  /** From the client's `x-correlation-id`, else the gateway's request id; stamped on the events the command emits. */
  correlationId: string;
  /** The function's logger, with the Lambda context and the correlation id on every line. */
  logger: Logger;
}

export const issuesFromZod = (error: z.ZodError): FieldIssue[] => fieldIssuesOf(error);

const correlationOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  correlationIdIn(event.headers?.[CORRELATION_HEADER]) ?? correlationIdIn(event.requestContext?.requestId);

export const httpHandler = <S extends z.ZodType | undefined = undefined>(options: {
  body?: S;
  /** For bodies the domain validates itself (to report schema and business problems in one answer): the schema it applies, for the documentation. */
  bodyValidatedInCore?: z.ZodType;
  public?: boolean;
  handle: (request: HttpRequest<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<HttpResult>;
}) => {
  const logger = new Logger({ serviceName: "allot-http" });
  const stack = middy<
    APIGatewayProxyEventV2WithJWTAuthorizer,
    APIGatewayProxyStructuredResultV2,
    Error,
    HttpContext
  >()
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId(logger, correlationOf))
    .use(errorAnswer(logger))
    .use(authenticate({ public: options.public }))
    .use(pathIds());
  if (options.body) stack.use(jsonBody()).use(validateBody(options.body));
  return Object.assign(
    stack.handler(async (event, context) => {
      const { actor, path, correlationId, logger } = context;
      const body = context.body as S extends z.ZodType ? z.infer<S> : undefined;
      const result = await withCorrelationId(correlationId, () =>
        withIdempotencyKey(
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
                correlationId,
                logger,
              }),
            ),
        ),
      );
      return jsonResponse(result.status ?? 200, result.body, result.headers);
    }) as unknown as LambdaHandler<
      APIGatewayProxyEventV2WithJWTAuthorizer,
      APIGatewayProxyStructuredResultV2
    >,
    // The body schema, for the test that keeps the OpenAPI document equal to what is validated.
    { bodySchema: options.bodyValidatedInCore ?? options.body },
  );
};
