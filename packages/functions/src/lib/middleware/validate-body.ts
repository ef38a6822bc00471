import { fieldIssuesOf } from "@allot/core";
import type { z } from "zod";
import { HttpError } from "../http-answer.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

/** The parsed body against the route's one schema; each problem named by its field. */
export const validateBody = (schema: z.ZodType): HttpMiddleware => ({
  before: (request: HttpMiddlewareRequest) => {
    const parsed = schema.safeParse(request.context.body);
    if (!parsed.success) throw new HttpError(400, "The request body is invalid", fieldIssuesOf(parsed.error));
    request.context.body = parsed.data;
  },
});
