import httpJsonBodyParser from "@middy/http-json-body-parser";
import { HttpError } from "../http-answer.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

// middy's parser, with the API's own answers: any content type is read as JSON (clients never
// had to send one), a missing or empty body is "no body" for the schema to judge, and malformed
// JSON is our 400 rather than the parser's 415. The parsed body goes to the context, the raw one
// stays on the event for the handlers that sign-check or measure it.
// (The option exists in 6.x; its type declaration lags behind.)
const parser = httpJsonBodyParser({ disableContentTypeCheck: true } as Parameters<
  typeof httpJsonBodyParser
>[0]);

export const jsonBody = (): HttpMiddleware => ({
  before: async (request: HttpMiddlewareRequest) => {
    request.context.body = undefined;
    if (!request.event.body) return;
    const parsing = { ...request, event: { ...request.event } };
    try {
      await parser.before?.(parsing);
    } catch {
      throw new HttpError(400, "The request body is not valid JSON");
    }
    request.context.body = parsing.event.body;
  },
});
