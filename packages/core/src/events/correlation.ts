import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";

// A correlation id names one causal chain: an HTTP request, the events it caused, the workflow
// they started and that workflow's tasks, so their log lines can be read together. It is an
// opaque id chosen by a client or by API Gateway, never personal data; the format is bounded
// because it is copied into every event and log line of the chain.
export const CorrelationId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "1 to 128 letters, digits, '.', '_', ':' or '-'");

// The one place the id travels implicitly: commands in core create their events deep below the
// handler that knows the id, and threading it through every command and port would change all
// of them for a value they never read. Everywhere else (event → workflow input → task) it is data.
const current = new AsyncLocalStorage<string | undefined>();

/** Runs `work` with every event it creates stamped with this correlation id. */
export const withCorrelationId = <T>(correlationId: string | undefined, work: () => Promise<T>): Promise<T> =>
  current.run(correlationId, work);

export const currentCorrelationId = (): string | undefined => current.getStore();
