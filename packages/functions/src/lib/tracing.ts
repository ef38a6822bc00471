import { tracer } from "@allot/adapters/tracing";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";

// Every middleware stack's outermost layer: the handler's subsegment on the invocation's X-Ray
// trace, annotated with the cold start and the service, with an error as metadata. Not the
// response: answers hold applicants' personal data, which traces must not copy. Off locally
// (see ../../../adapters/src/tracing.ts).
export const traceInvocation = () => captureLambdaHandler(tracer, { captureResponse: false });
