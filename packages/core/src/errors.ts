// Domain errors carry a kind that the HTTP boundary maps to a status; adapters translate
// AWS errors into these so nothing above them sees an SDK type.

export type DomainErrorKind = "validation" | "not_found" | "conflict" | "forbidden" | "unauthenticated";

export interface FieldIssue {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A schema's complaints as field issues; `whole` names the field when the whole input is wrong. */
export const fieldIssuesOf = (
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  whole = "(body)",
): FieldIssue[] =>
  error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || whole, message: issue.message }));

export const validationError = (message: string, issues: FieldIssue[] = []) =>
  new DomainError("validation", message, issues);
export const notFound = (what: string) => new DomainError("not_found", `${what} was not found`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const forbidden = (message = "You are not allowed to do this") =>
  new DomainError("forbidden", message);

/**
 * A write lost a race with another writer of the same record (its revision moved). The whole
 * command can safely run again from a fresh read: the handler wrappers do that.
 */
export class ConcurrentModification extends DomainError {
  constructor(what: string) {
    super("conflict", `${what} changed meanwhile; read it again and retry`);
    this.name = "ConcurrentModification";
  }
}

/** Runs a command again, from its own fresh reads, while it loses races; then gives up as a conflict. */
export const retryOnConcurrentModification = async <T>(
  command: () => Promise<T>,
  attempts = 6,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await command();
    } catch (error) {
      if (!(error instanceof ConcurrentModification) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
};
