import type { Actor } from "@allot/core";
import type { MiddlewareObj, Request } from "@middy/core";
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import type { Correlated } from "./correlation-id.js";

/** What the HTTP middlewares establish, in order, before the handler runs. */
export interface HttpContext extends Context, Correlated {
  actor: Actor;
  /** The path parameters, each a well-formed id. */
  path: Record<string, string>;
  /** The parsed and validated body; the event keeps the raw one (signatures and size checks read it). */
  body: unknown;
}

export type HttpMiddlewareRequest = Request<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Error,
  HttpContext
>;

export type HttpMiddleware = MiddlewareObj<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Error,
  HttpContext
>;
