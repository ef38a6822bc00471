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

export const validationError = (message: string, issues: FieldIssue[] = []) =>
  new DomainError("validation", message, issues);
export const notFound = (what: string) => new DomainError("not_found", `${what} was not found`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const forbidden = (message = "You are not allowed to do this") =>
  new DomainError("forbidden", message);
