import { z } from "zod";

// Every string that reaches a key or a record is bounded here, once: DynamoDB refuses keys of
// 2,048 bytes or more (a 500 on AWS too), and an unbounded field lets one request store megabytes.

/** An id Allot mints: `<prefix>_` and 26 Crockford base32 characters (see ids.ts). */
export const mintedId = (prefix: string, what: string) => {
  const message = `must be ${/^[aeiou]/.test(what) ? "an" : "a"} ${what} id (${prefix}_ and 26 letters or digits)`;
  // `abort`: a 2 KB value is reported once, not once per failed check.
  return z
    .string()
    .max(64, { error: message, abort: true })
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), message);
};

/** A name staff choose for programs, calls and the like. */
export const Slug = z
  .string()
  .max(63, "use 2–63 lower-case letters, digits and dashes, starting with a letter or digit")
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    "use 2–63 lower-case letters, digits and dashes, starting with a letter or digit",
  );

/** A person's or a system's id from the identity provider (the token's subject), or a reviewer id. */
export const PrincipalId = z
  .string()
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@:|+-]{0,127}$/, "use 1–128 letters, digits and . _ @ : | + -");

/** An id chosen by a client or an integration (a usage record id, a request id): printable, bounded. */
export const ExternalId = (max = 128) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .regex(/^[\x21-\x7e]+$/, "use printable ASCII characters without spaces");

/** Free text a person writes: trimmed and bounded. */
export const Text = (max: number, min = 0, minMessage = `must be at least ${min} characters`) =>
  z
    .string()
    .max(max * 4, `must be at most ${max} characters`)
    .trim()
    .min(min, minMessage)
    .max(max, `must be at most ${max} characters`);

// The ids that name things in paths and keys; the README's "Ids" table documents them.
export const ProgramId = Slug;
export const CallId = Slug;
export const InstitutionId = Slug;
export const ReviewerId = PrincipalId;
export const ProposalId = mintedId("prp", "proposal");
export const AwardId = mintedId("awd", "award");
export const AssignmentId = mintedId("asg", "assignment");
export const ReservationId = mintedId("rsv", "reservation");
export const OutputId = mintedId("out", "output");
