import { describe, expect, it } from "vitest";
import {
  type ConflictKind,
  type ConflictSubject,
  conflictsOf,
  nameKeys,
  normalizeInstitution,
  ReviewerProfile,
  type ReviewerProfileInput,
} from "../src/review/index.js";

const proposal: ConflictSubject = {
  proposalId: "prp_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  pi: { name: "José García", email: "jose.garcia@example.edu", institution: "The University of Example" },
  coInvestigators: [
    { name: "Mei Lin", email: "mei@montreal.example", institution: "Université de Montréal" },
    { name: "Ola Nordmann", email: "ola@lodz.example", institution: "Łódź Institute of Technology" },
  ],
};

const base: ReviewerProfileInput = {
  reviewerId: "rev-1",
  name: "Rita Reviewer",
  email: "rita@elsewhere.example",
  institution: "Elsewhere College",
  keywords: ["ml-systems"],
};
const reviewer = (overrides: Partial<ReviewerProfileInput> = {}) =>
  ReviewerProfile.parse({ ...base, ...overrides });

interface Case {
  title: string;
  overrides: Partial<ReviewerProfileInput>;
  kinds: ConflictKind[];
  detail?: string;
}

const conflicting: Case[] = [
  // same institution
  {
    title: "the PI's institution verbatim",
    overrides: { institution: "The University of Example" },
    kinds: ["same-institution"],
    detail: 'same institution as the PI: "The University of Example"',
  },
  {
    title: "the PI's institution without 'The'",
    overrides: { institution: "University of Example" },
    kinds: ["same-institution"],
  },
  {
    title: "'Univ.' for 'University'",
    overrides: { institution: "univ. of example" },
    kinds: ["same-institution"],
  },
  {
    title: "'Uni' for 'University'",
    overrides: { institution: "Uni of Example" },
    kinds: ["same-institution"],
  },
  {
    title: "case, extra spaces and trailing punctuation",
    overrides: { institution: "  UNIVERSITY   OF  EXAMPLE, " },
    kinds: ["same-institution"],
  },
  {
    title: "a co-investigator's institution without accents",
    overrides: { institution: "Universite de Montreal" },
    kinds: ["same-institution"],
    detail: 'same institution as co-investigator 1: "Université de Montréal"',
  },
  {
    title: "a stroked letter (Ł) and 'Inst.'",
    overrides: { institution: "Lodz Inst. of Technology" },
    kinds: ["same-institution"],
    detail: "co-investigator 2",
  },
  // named on the proposal
  {
    title: "the reviewer's email is the PI's, in another case",
    overrides: { email: "JOSE.GARCIA@EXAMPLE.EDU" },
    kinds: ["named-on-proposal"],
    detail: "the reviewer is the PI (same email)",
  },
  {
    title: "the reviewer's name is the PI's without accents",
    overrides: { name: "Jose  Garcia" },
    kinds: ["named-on-proposal"],
    detail: "the reviewer is the PI (same name)",
  },
  {
    title: "the reviewer's name written 'Last, First'",
    overrides: { name: "García, José" },
    kinds: ["named-on-proposal"],
  },
  {
    title: "the reviewer is a co-investigator by name and email",
    overrides: { name: "mei lin", email: "Mei@Montreal.example" },
    kinds: ["named-on-proposal"],
    detail: "the reviewer is co-investigator 1 (same email and name)",
  },
  // declared
  {
    title: "a declared proposal id",
    overrides: { declaredConflicts: ["prp_aaaaaaaaaaaaaaaaaaaaaaaaaa"] },
    kinds: ["declared"],
    detail: "is this proposal",
  },
  {
    title: "a declared proposal id in upper case with spaces",
    overrides: { declaredConflicts: [" PRP_AAAAAAAAAAAAAAAAAAAAAAAAAA "] },
    kinds: ["declared"],
  },
  {
    title: "a declared institution, normalized",
    overrides: { declaredConflicts: ["univ of example"] },
    kinds: ["declared"],
    detail: "matches the PI's institution",
  },
  {
    title: "a declared co-investigator's institution",
    overrides: { declaredConflicts: ["Lodz Institute of Technology"] },
    kinds: ["declared"],
    detail: "matches co-investigator 2's institution",
  },
  {
    title: "a declared person by name",
    overrides: { declaredConflicts: ["jose garcia"] },
    kinds: ["declared"],
    detail: "matches the PI's name",
  },
  {
    title: "a declared person by email",
    overrides: { declaredConflicts: ["OLA@lodz.example"] },
    kinds: ["declared"],
    detail: "matches co-investigator 2's email",
  },
  // co-authorship
  {
    title: "a co-author named like the PI",
    overrides: { coAuthors: ["José García"] },
    kinds: ["co-author"],
    detail: 'co-author "José García" matches the PI\'s name',
  },
  {
    title: "a co-author listed 'Last, First'",
    overrides: { coAuthors: ["Garcia, Jose"] },
    kinds: ["co-author"],
  },
  {
    title: "a co-author by the PI's email",
    overrides: { coAuthors: ["jose.garcia@EXAMPLE.edu"] },
    kinds: ["co-author"],
    detail: "matches the PI's email",
  },
  {
    title: "a co-author who is a co-investigator",
    overrides: { coAuthors: ["Someone Else", "ola nordmann"] },
    kinds: ["co-author"],
    detail: "matches co-investigator 2's name",
  },
  // several at once, structural first
  {
    title: "same institution and co-authorship together",
    overrides: { institution: "University of Example", coAuthors: ["Mei Lin"] },
    kinds: ["same-institution", "co-author"],
  },
  {
    title: "every kind at once",
    overrides: {
      institution: "Université de Montréal",
      email: "jose.garcia@example.edu",
      declaredConflicts: ["prp_aaaaaaaaaaaaaaaaaaaaaaaaaa"],
      coAuthors: ["Ola Nordmann"],
    },
    kinds: ["same-institution", "named-on-proposal", "declared", "co-author"],
  },
];

const clear: Array<{ title: string; overrides: Partial<ReviewerProfileInput> }> = [
  { title: "an unrelated reviewer", overrides: {} },
  { title: "word order names another institution", overrides: { institution: "Example University" } },
  { title: "a longer institution name", overrides: { institution: "University of Example Hospital" } },
  { title: "a similar but different name", overrides: { name: "Jose Garcias", coAuthors: ["Mei Lim"] } },
  { title: "initials are not a name", overrides: { coAuthors: ["J. Garcia", "M Lin"] } },
  { title: "a co-author email at another domain", overrides: { coAuthors: ["jose.garcia@other.example"] } },
  {
    title: "declarations about other proposals, places and people",
    overrides: {
      declaredConflicts: ["prp_bbbbbbbbbbbbbbbbbbbbbbbbbb", "Other University", "someone@else.example"],
    },
  },
  {
    title: "punctuation-only entries match nobody",
    overrides: { coAuthors: [",", "."], declaredConflicts: ["-"] },
  },
];

describe("conflictsOf", () => {
  it.each(conflicting)("flags $title", ({ overrides, kinds, detail }) => {
    // Act
    const conflicts = conflictsOf(reviewer(overrides), proposal);
    // Assess
    expect(conflicts.map((c) => c.kind)).toEqual(kinds);
    if (detail) expect(conflicts.map((c) => c.detail).join("\n")).toContain(detail);
  });

  it.each(clear)("does not flag $title", ({ overrides }) => {
    expect(conflictsOf(reviewer(overrides), proposal)).toEqual([]);
  });

  it("never matches on a field that normalizes to nothing", () => {
    // Prepare: an institution made only of a dropped word
    const blank: ConflictSubject = {
      ...proposal,
      pi: { ...proposal.pi, institution: "The" },
      coInvestigators: [],
    };
    // Act / Assess
    expect(conflictsOf(reviewer({ institution: "the" }), blank)).toEqual([]);
  });
});

describe("normalization", () => {
  it.each([
    ["The University of Example", "university of example"],
    ["Univ. of Example", "university of example"],
    ["UNIVERSITY  OF\tEXAMPLE.", "university of example"],
    ["University of the Witwatersrand", "university of witwatersrand"],
    ["King's College London", "kings college london"],
    ["Texas A&M University", "texas a and m university"],
    ["St. Olaf College", "saint olaf college"],
    ["Centre for Quantum Tech", "center for quantum tech"],
    ["Łódź University", "lodz university"],
    ["École Polytechnique Fédérale", "ecole polytechnique federale"],
    ["Technische Universität München", "technische universitat munchen"],
  ])("institution %j → %j", (input, expected) => {
    expect(normalizeInstitution(input)).toBe(expected);
  });

  it.each([
    ["José García", ["jose garcia"]],
    ["  JOSÉ   GARCÍA ", ["jose garcia"]],
    ["García, José", ["garcia jose", "jose garcia"]],
    ["Jean-Luc O'Brien", ["jean luc obrien"]],
    ["Søren Kierkegaard", ["soren kierkegaard"]],
    ["J. R. R. Tolkien", ["j r r tolkien"]],
    [",", []],
  ])("name %j → %j", (input, expected) => {
    expect(nameKeys(input)).toEqual(expected);
  });
});
