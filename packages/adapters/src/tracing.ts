import { Tracer } from "@aws-lambda-powertools/tracer";

// X-Ray traces of every invocation (the functions' middleware stacks open the handler's
// subsegment with this tracer) and of the AWS calls it makes (each SDK client is captured where
// it is built). One tracer per process, built at load as Powertools expects (its cold-start
// annotation). It switches itself off outside Lambda (no AWS_EXECUTION_ENV), and the local
// runtime also sets POWERTOOLS_TRACE_ENABLED=false for every function: then `traced` returns the
// client as it was and the middleware does nothing.
export const tracer = new Tracer();

/** The client, its calls recorded as subsegments of the invocation's trace when tracing is on. */
export const traced = <Client>(client: Client): Client => tracer.captureAWSv3Client(client);
