import { describe, expect, it } from "vitest";
import { REDACTED, redactIdentities } from "../src/review/redaction.js";

const reviewers = [
  { reviewerId: "rev-two", name: "Reviewer Two", email: "rev2@review.example.org" },
  { reviewerId: "rev-dana", name: "Dana Levi", email: "dana@openmodels.example.org" },
];

describe("redacting reviewers' identities from text an applicant reads", () => {
  it("blanks a signature with a name and an address", () => {
    expect(redactIdentities("Solid plan.\nSigned, Reviewer Two <rev2@review.example.org>", reviewers)).toBe(
      `Solid plan.\nSigned, ${REDACTED} <${REDACTED}>`,
    );
  });

  it("blanks the forms a name is written in, in any case, and the reviewer id", () => {
    for (const signed of [
      "Dana Levi",
      "dana  levi",
      "DANA LEVI",
      "Levi, Dana",
      "D. Levi",
      "Levi",
      "Dana",
      "rev-dana",
    ]) {
      expect(redactIdentities(`Good work. — ${signed}`, reviewers)).toBe(`Good work. — ${REDACTED}`);
    }
  });

  it("blanks a full name written with a middle initial", () => {
    const withInitial = [{ reviewerId: "rev-mjb", name: "Mary J Blige", email: "mjb@music.example" }];
    expect(redactIdentities("Thanks, mary j blige", withInitial)).toBe(`Thanks, ${REDACTED}`);
  });

  it("blanks every e-mail address, a reviewer's or not", () => {
    expect(redactIdentities("Write to me: someone.else+x@uni.example.ac.uk, thanks", reviewers)).toBe(
      `Write to me: ${REDACTED}, thanks`,
    );
  });

  it("leaves other words alone: a name inside a longer word, or in lower case on its own", () => {
    const text = "Levine's baseline is fine; the two runs agree.";
    expect(redactIdentities(text, reviewers)).toBe(text);
  });
});
