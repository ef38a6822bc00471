import { createHash } from "node:crypto";
import { canonicalJson } from "../canonical.js";
import { validationError } from "../errors.js";
import type { IdempotencyScope } from "./ports.js";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Printable ASCII without spaces at either end, as the header grammar and logs can carry it. */
export const IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7e](?:[\\x20-\\x7e]{0,253}[\\x21-\\x7e])?$";
const KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The client's key, checked: 1–255 printable ASCII characters. */
export const idempotencyKey = (raw: string | undefined): string => {
  if (raw === undefined || raw === "")
    throw validationError(
      `The ${IDEMPOTENCY_HEADER} header is required: send a unique value (e.g. a UUID) per operation, and the same value when retrying it`,
      [{ field: IDEMPOTENCY_HEADER, message: "required" }],
    );
  if (!KEY.test(raw))
    throw validationError(`The ${IDEMPOTENCY_HEADER} header is invalid`, [
      { field: IDEMPOTENCY_HEADER, message: "must be 1 to 255 printable ASCII characters" },
    ]);
  return raw;
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

/**
 * The operation a key names, as an id safe in ledger entry ids and event ids: the same scope
 * always gives the same id, so a retry after a crash writes the very same entries.
 */
export const operationIdOf = (scope: IdempotencyScope) =>
  `op-${sha256(JSON.stringify([scope.actorId, scope.route, scope.key])).slice(0, 26)}`;

/** What makes two requests on one route the same request: the path's parameters and the validated body. */
export const requestFingerprint = (
  pathParameters: Record<string, string | undefined> | undefined,
  body: unknown,
) => sha256(canonicalJson([pathParameters ?? {}, body ?? null]));
