import type { RestHandler } from "../edge/server.js";
import type { LambdaInvoker } from "./invoker.js";

const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

const send = (
  response: Parameters<RestHandler>[2],
  status: number,
  body: string,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-amz-executed-version": "$LATEST",
    ...headers,
  });
  response.end(body);
};

/** Lambda's Invoke in its REST-JSON protocol, for the real @aws-sdk/client-lambda. */
export const lambdaRestHandler =
  (lambda: LambdaInvoker, onAsyncError: (error: unknown) => void): RestHandler =>
  async (request, body, response) => {
    const match = request.method === "POST" ? invokePath.exec(request.url ?? "") : null;
    if (!match) return false;
    const name = decodeURIComponent(match[1] as string);
    if (!lambda.has(name)) {
      send(response, 404, JSON.stringify({ Type: "User", message: `Function not found: ${name}` }), {
        "x-amzn-errortype": "ResourceNotFoundException",
      });
      return true;
    }
    let payload: unknown;
    try {
      payload = body.length ? JSON.parse(body.toString("utf8")) : {};
    } catch {
      send(
        response,
        400,
        JSON.stringify({ Type: "User", message: "Could not parse request body into json" }),
        {
          "x-amzn-errortype": "InvalidRequestContentException",
        },
      );
      return true;
    }
    const type = request.headers["x-amz-invocation-type"] ?? "RequestResponse";
    if (type === "DryRun") {
      send(response, 204, "");
      return true;
    }
    if (type === "Event") {
      lambda.invoke(name, payload).catch(onAsyncError);
      send(response, 202, "");
      return true;
    }
    const result = await lambda.invoke(name, payload);
    if (result.ok) send(response, 200, JSON.stringify(result.payload));
    else
      send(
        response,
        200,
        JSON.stringify({
          errorType: result.errorType,
          errorMessage: result.errorMessage,
          trace: result.trace ?? [],
        }),
        {
          "x-amz-function-error": "Unhandled",
        },
      );
    return true;
  };
