import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";
import { vi } from "vitest";

/** A Lambda context as the runtime gives one. */
export const lambdaContext = (functionName = "test-function"): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: "256",
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "test",
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** An HTTP API (payload 2.0) event for a route in stacks/, signed in as `caller` unless it is undefined. */
export const httpEvent = (
  routeKey: string,
  options: {
    caller?: { sub: string; role: string };
    path?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    headers?: Record<string, string>;
    requestId?: string;
  } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: "2.0",
    routeKey,
    rawPath: routeKey.split(" ")[1],
    rawQueryString: "",
    headers: options.headers ?? {},
    pathParameters: options.path,
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      requestId: options.requestId ?? "req-1",
      routeKey,
      authorizer: {
        jwt: {
          claims: options.caller ? { sub: options.caller.sub, "allot:role": options.caller.role } : {},
          scopes: [],
        },
      },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

/** The Powertools JSON lines written (to stdout, and errors to stderr) while `work` runs. */
export const capturedLogs = async (work: () => Promise<unknown>) => {
  const lines: Array<Record<string, unknown>> = [];
  const spies = [process.stdout, process.stderr].map((stream) => capture(stream, lines));
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
};

const capture = (stream: NodeJS.WriteStream, lines: Array<Record<string, unknown>>) => {
  const write = stream.write.bind(stream);
  return vi.spyOn(stream, "write").mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    for (const line of text.split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {}
    }
    if (!text.startsWith("{")) return write(chunk as string, ...(rest as []));
    return true;
  });
};
