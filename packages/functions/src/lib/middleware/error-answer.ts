import type { Logger } from "@aws-lambda-powertools/logger";
import { clientAnswer, jsonResponse } from "../http-answer.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

// Ours rather than @middy/http-error-handler: that one answers the error's message as the body
// (text, or JSON only if the message is itself JSON) and one fixed fallback for 5xx, so it can
// give neither `{ message, issues }` nor a 500 that quotes the request id to find the details.
// Client errors (ours and the domain's kinds) answer their status; anything else is a 500 that
// never leaks internals: the details go to the log with the request id.
export const errorAnswer = (fallbackLogger: Logger): HttpMiddleware => ({
  onError: (request: HttpMiddlewareRequest) => {
    const answer = clientAnswer(request.error);
    if (answer) {
      request.response = jsonResponse(answer.status ?? 400, answer.body);
      return;
    }
    const { event } = request;
    const requestId = event.requestContext?.requestId;
    (request.context.logger ?? fallbackLogger).error("unhandled error", {
      error: request.error as Error,
      requestId,
      routeKey: event.routeKey,
    });
    request.response = jsonResponse(500, {
      message: "Internal error; quote this request id to support",
      requestId,
    });
  },
});
