import { validPathParameters } from "../path-parameters.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

/** Checks every path parameter against its id format before any lookup (see path-parameters.ts). */
export const pathIds = (): HttpMiddleware => ({
  before: (request: HttpMiddlewareRequest) => {
    request.context.path = validPathParameters(request.event.pathParameters ?? {});
  },
});
