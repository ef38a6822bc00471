import type { ReviewerProfile } from "./schema.js";

export type ConflictKind = "same-institution" | "named-on-proposal" | "declared" | "co-author";

export interface Conflict {
  kind: ConflictKind;
  /** For staff: which rule, which person on the proposal (by role) and what matched. */
  detail: string;
}

export interface ProposalPerson {
  name: string;
  email: string;
  institution: string;
}

/** The part of a proposal that conflicts depend on; a Proposal fits it. */
export interface ConflictSubject {
  proposalId: string;
  pi: ProposalPerson;
  coInvestigators: readonly ProposalPerson[];
}

// Letters that NFD leaves whole but that people routinely type without their stroke or ligature.
const FOLDED: Record<string, string> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (c) => FOLDED[c] ?? c);

// Apostrophes join (King's → kings, O'Brien → obrien) rather than split a word in two.
const words = (text: string): string[] =>
  text
    .replace(/['’`]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);

// Only abbreviations that are unambiguous inside an institution's name. Word order is kept on
// purpose: "Washington University" and "University of Washington" are different institutions.
const INSTITUTION_WORDS: Record<string, string> = {
  univ: "university",
  uni: "university",
  inst: "institute",
  st: "saint",
  ctr: "center",
  centre: "center",
};

/**
 * An institution's comparison key: accents and case folded, "&" read as "and", punctuation and
 * extra spaces dropped, every "the" dropped, and Univ./Uni → University, Inst. → Institute,
 * St. → Saint, Ctr./Centre → Center. Acronyms are not expanded (MIT is not matched with its full
 * name); a reviewer covers those with a declared conflict.
 */
export const normalizeInstitution = (institution: string): string =>
  words(fold(institution).replace(/&/g, " and "))
    .filter((w) => w !== "the")
    .map((w) => INSTITUTION_WORDS[w] ?? w)
    .join(" ");

/**
 * A person's name as comparison keys: accents, case, punctuation and extra spaces folded; a name
 * written "Last, First" (as bibliographies list co-authors) also yields "First Last".
 */
export const nameKeys = (name: string): string[] => {
  const folded = fold(name);
  const keys = [words(folded).join(" ")];
  const parts = folded.split(",");
  if (parts.length === 2) keys.push(words(`${parts[1]} ${parts[0]}`).join(" "));
  return [...new Set(keys.filter((k) => k.length > 0))];
};

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const isEmail = (entry: string) => entry.includes("@");

// Empty keys never match: a blank field must not make everyone conflicted with everyone.
const sameInstitution = (a: string, b: string) => {
  const ka = normalizeInstitution(a);
  return ka.length > 0 && ka === normalizeInstitution(b);
};
const sameEmail = (a: string, b: string) => {
  const ka = normalizeEmail(a);
  return ka.length > 0 && ka === normalizeEmail(b);
};
const sameName = (a: string, b: string) => {
  const kb = nameKeys(b);
  return nameKeys(a).some((k) => kb.includes(k));
};

/** Does a free-text entry (a name or an email) denote this person? */
const denotes = (entry: string, person: ProposalPerson): "email" | "name" | undefined => {
  if (isEmail(entry)) return sameEmail(entry, person.email) ? "email" : undefined;
  return sameName(entry, person.name) ? "name" : undefined;
};

const peopleOf = (proposal: ConflictSubject) => [
  { role: "the PI", possessive: "the PI's", person: proposal.pi },
  ...proposal.coInvestigators.map((person, i) => ({
    role: `co-investigator ${i + 1}`,
    possessive: `co-investigator ${i + 1}'s`,
    person,
  })),
];

/**
 * Every reason this reviewer must not review this proposal, most structural first. Matching errs
 * toward a conflict: two different people with the same name are flagged, since a wrongly recused
 * reviewer costs a replacement while a missed conflict costs the decision its credibility.
 */
export const conflictsOf = (reviewer: ReviewerProfile, proposal: ConflictSubject): Conflict[] => {
  const people = peopleOf(proposal);
  const conflicts: Conflict[] = [];

  for (const { role, person } of people) {
    if (sameInstitution(reviewer.institution, person.institution)) {
      conflicts.push({
        kind: "same-institution",
        detail: `same institution as ${role}: "${person.institution}"`,
      });
    }
  }

  for (const { role, person } of people) {
    const byEmail = sameEmail(reviewer.email, person.email);
    const byName = sameName(reviewer.name, person.name);
    if (byEmail || byName) {
      const what = byEmail && byName ? "email and name" : byEmail ? "email" : "name";
      conflicts.push({ kind: "named-on-proposal", detail: `the reviewer is ${role} (same ${what})` });
    }
  }

  for (const entry of reviewer.declaredConflicts) {
    const declared = `declared conflict "${entry}"`;
    if (entry.trim().toLowerCase() === proposal.proposalId.trim().toLowerCase()) {
      conflicts.push({ kind: "declared", detail: `${declared} is this proposal` });
      continue;
    }
    for (const { possessive, person } of people) {
      if (!isEmail(entry) && sameInstitution(entry, person.institution)) {
        conflicts.push({ kind: "declared", detail: `${declared} matches ${possessive} institution` });
      }
      const field = denotes(entry, person);
      if (field) conflicts.push({ kind: "declared", detail: `${declared} matches ${possessive} ${field}` });
    }
  }

  for (const entry of reviewer.coAuthors) {
    for (const { possessive, person } of people) {
      const field = denotes(entry, person);
      if (field)
        conflicts.push({ kind: "co-author", detail: `co-author "${entry}" matches ${possessive} ${field}` });
    }
  }

  return conflicts;
};
