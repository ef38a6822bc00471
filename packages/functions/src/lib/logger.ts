import { Logger } from "@aws-lambda-powertools/logger";

// Every function's logger: Powertools' JSON lines, with the known personal fields redacted at
// any depth, so that a handler logging a record it holds (a proposal, a notification, an error
// carrying its input) does not copy applicants' or reviewers' personal data into CloudWatch Logs.
// Ids are kept: logs point to records, they do not repeat them.

/** Field names that hold personal data in this domain (compared case-insensitively). */
export const PERSONAL_FIELDS = [
  "name",
  "fullName",
  "firstName",
  "lastName",
  "displayName",
  "applicantName",
  "reviewerName",
  "recipientName",
  "contactName",
  "email",
  "emails",
  "contactEmail",
  "staffEmail",
  "recipient",
  "recipients",
  "pi",
  "phone",
  "address",
  "orcid",
  "commentsToApplicant",
] as const;

export const REDACTED = "[redacted]";

const personal = new Set(PERSONAL_FIELDS.map((field) => field.toLowerCase()));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * A JSON replacer for Powertools' Logger. It acts on each plain object before its fields are
 * written (JSON.stringify visits a parent before its children), so an error's own `name`
 * ("ValidationError"), formatted by Powertools after this runs, is kept.
 */
export const redactPersonalData = (_key: string, value: unknown): unknown => {
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const field of Object.keys(value)) {
    if (!personal.has(field.toLowerCase()) || value[field] === undefined) continue;
    copy ??= { ...value };
    copy[field] = REDACTED;
  }
  return copy ?? value;
};

export const createLogger = (serviceName: string) =>
  new Logger({ serviceName, jsonReplacerFn: redactPersonalData });
