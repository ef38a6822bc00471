import { DomainError, retryOnConcurrentModification, WorkflowErrors } from "@allot/core";
import middy from "@middy/core";
import type { z } from "zod";

/** Raised to the workflow as the task's error name, so the ASL can Retry or Catch it by name. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

// Workflow tasks validate their input like any boundary; a bad input is a bug in the ASL,
// reported under a stable error name rather than as a crash deep in the domain.
export const taskHandler = <S extends z.ZodType, R>(schema: S, handle: (input: z.infer<S>) => Promise<R>) =>
  middy<unknown, R>().handler(async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new TaskError(
        WorkflowErrors.invalidTaskInput,
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      );
    }
    try {
      return await retryOnConcurrentModification(() => handle(parsed.data));
    } catch (error) {
      if (error instanceof DomainError) throw new TaskError(`Allot.${error.kind}`, error.message);
      throw error;
    }
  });
