import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.js";
import {
  type AssignmentRequest,
  conflictsOf,
  keywordMatches,
  planAssignment,
  ReviewerProfile,
  type ReviewerProfileInput,
} from "../src/review/index.js";

type Proposal = AssignmentRequest["proposal"];

const proposal: Proposal = {
  proposalId: "prp_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  pi: { name: "José García", email: "jose.garcia@example.edu", institution: "University of Example" },
  coInvestigators: [
    { name: "Mei Lin", email: "mei@montreal.example", institution: "Université de Montréal" },
  ],
  keywords: ["ml-systems", "compilers", "Sparse Attention"],
};

const reviewer = (reviewerId: string, overrides: Partial<ReviewerProfileInput> = {}) =>
  ReviewerProfile.parse({
    reviewerId,
    name: `Reviewer ${reviewerId}`,
    email: `${reviewerId}@reviewers.example`,
    institution: `Institute ${reviewerId}`,
    keywords: [],
    ...overrides,
  });

const request = (overrides: Partial<AssignmentRequest>): AssignmentRequest => ({
  proposal,
  pool: [],
  load: {},
  needed: 2,
  exclude: [],
  ...overrides,
});

const ids = (plan: { assigned: Array<{ reviewerId: string }> }) => plan.assigned.map((a) => a.reviewerId);

describe("planAssignment", () => {
  it("prefers reviewers whose research areas overlap the proposal's most", () => {
    // Prepare
    const pool = [
      reviewer("r-none", { keywords: ["databases"] }),
      reviewer("r-two", { keywords: ["compilers", "sparse-attention", "robotics"] }),
      reviewer("r-one", { keywords: ["ML systems"] }),
    ];
    // Act
    const plan = planAssignment(request({ pool, needed: 2 }));
    // Assess
    expect(plan.assigned).toEqual([
      { reviewerId: "r-two", keywordMatches: 2 },
      { reviewerId: "r-one", keywordMatches: 1 },
    ]);
    expect(plan.shortBy).toBe(0);
    expect(plan.skipped).toEqual([]);
  });

  it("assigns a reviewer without overlap rather than leave the proposal short", () => {
    const plan = planAssignment(request({ pool: [reviewer("r-a", { keywords: ["databases"] })], needed: 1 }));
    expect(plan.assigned).toEqual([{ reviewerId: "r-a", keywordMatches: 0 }]);
  });

  it.each([
    [["ml-systems"], ["ML Systems"], 1],
    [["sparse attention"], ["Sparse-Attention"], 1],
    [["compilers", "Compilers"], ["compilers"], 1],
    [["Réseaux"], ["reseaux"], 1],
    [["ml"], ["ml-systems"], 0],
  ])("counts keyword %j against %j as %i", (theirs, ours, expected) => {
    expect(keywordMatches(theirs, ours)).toBe(expected);
  });

  it("balances load among equally matched reviewers, then breaks ties by reviewerId", () => {
    // Prepare
    const pool = ["r-c", "r-a", "r-b", "r-d"].map((id) => reviewer(id, { keywords: ["compilers"] }));
    const load = { "r-a": 3, "r-b": 1, "r-c": 1, "r-d": 0 };
    // Act
    const plan = planAssignment(request({ pool, load, needed: 3 }));
    // Assess
    expect(ids(plan)).toEqual(["r-d", "r-b", "r-c"]);
  });

  it("puts keyword overlap before load", () => {
    const pool = [reviewer("r-busy", { keywords: ["compilers"] }), reviewer("r-idle", { keywords: [] })];
    const plan = planAssignment(request({ pool, load: { "r-busy": 7 }, needed: 1 }));
    expect(ids(plan)).toEqual(["r-busy"]);
  });

  it("never goes beyond a reviewer's maxLoad", () => {
    // Prepare
    const pool = [
      reviewer("r-full", { maxLoad: 3 }),
      reviewer("r-last-slot", { maxLoad: 3 }),
      reviewer("r-default-full"),
    ];
    const load = { "r-full": 3, "r-last-slot": 2, "r-default-full": 8 };
    // Act
    const plan = planAssignment(request({ pool, load, needed: 3 }));
    // Assess
    expect(ids(plan)).toEqual(["r-last-slot"]);
    expect(plan.shortBy).toBe(2);
    expect(plan.skipped).toEqual([
      { reviewerId: "r-full", reasons: ["at capacity: 3 open assignments, at most 3"] },
      { reviewerId: "r-default-full", reasons: ["at capacity: 8 open assignments, at most 8"] },
    ]);
  });

  it("skips excluded reviewers (already assigned, replaced or declined)", () => {
    const pool = [reviewer("r-a"), reviewer("r-b"), reviewer("r-c")];
    const plan = planAssignment(request({ pool, exclude: ["r-a", "r-unknown"], needed: 1 }));
    expect(ids(plan)).toEqual(["r-b"]);
    expect(plan.skipped).toEqual([
      { reviewerId: "r-a", reasons: ["already assigned to, replaced on or declined this proposal"] },
    ]);
  });

  it("comes up short instead of assigning a conflicted reviewer, and says why each was skipped", () => {
    // Prepare: every reviewer is conflicted, one of them twice over
    const pool = [
      reviewer("r-colleague", { institution: "The Univ. of Example", keywords: ["compilers"] }),
      reviewer("r-coauthor", { coAuthors: ["Lin, Mei"], keywords: ["compilers"] }),
      reviewer("r-pi", {
        email: "JOSE.GARCIA@example.edu",
        declaredConflicts: ["prp_aaaaaaaaaaaaaaaaaaaaaaaaaa"],
      }),
    ];
    // Act
    const plan = planAssignment(request({ pool, needed: 2 }));
    // Assess
    expect(plan.assigned).toEqual([]);
    expect(plan.shortBy).toBe(2);
    expect(plan.skipped.map((s) => [s.reviewerId, s.reasons.length])).toEqual([
      ["r-colleague", 1],
      ["r-coauthor", 1],
      ["r-pi", 2],
    ]);
    expect(plan.skipped[0]?.reasons[0]).toBe(
      'conflict of interest: same institution as the PI: "University of Example"',
    );
  });

  it("keeps every reason a reviewer is skipped", () => {
    const pool = [reviewer("r-a", { institution: "University of Example", maxLoad: 1 })];
    const plan = planAssignment(request({ pool, load: { "r-a": 1 }, exclude: ["r-a"], needed: 1 }));
    expect(plan.skipped[0]?.reasons).toEqual([
      "already assigned to, replaced on or declined this proposal",
      'conflict of interest: same institution as the PI: "University of Example"',
      "at capacity: 1 open assignments, at most 1",
    ]);
  });

  it("judges a reviewer listed twice by the first profile only", () => {
    const pool = [reviewer("r-a", { institution: "University of Example" }), reviewer("r-a")];
    const plan = planAssignment(request({ pool, needed: 1 }));
    expect(plan.assigned).toEqual([]);
    expect(plan.skipped.map((s) => s.reasons[0])).toEqual([
      'conflict of interest: same institution as the PI: "University of Example"',
      "listed more than once in the pool",
    ]);
  });

  it("is deterministic: the same inputs in any pool order give the same plan", () => {
    // Prepare
    const pool = ["r-e", "r-b", "r-d", "r-a", "r-c"].map((id, i) =>
      reviewer(id, { keywords: i % 2 ? ["compilers"] : ["compilers", "ml-systems"] }),
    );
    const load = { "r-a": 1, "r-e": 1 };
    // Act
    const first = planAssignment(request({ pool, load, needed: 3 }));
    const again = planAssignment(request({ pool, load, needed: 3 }));
    const reversed = planAssignment(request({ pool: [...pool].reverse(), load, needed: 3 }));
    // Assess
    expect(again).toEqual(first);
    expect(reversed.assigned).toEqual(first.assigned);
    expect(ids(first)).toEqual(["r-c", "r-d", "r-e"]);
  });

  it("asks for nothing when nothing is needed", () => {
    expect(planAssignment(request({ pool: [reviewer("r-a")], needed: 0 }))).toEqual({
      assigned: [],
      shortBy: 0,
      skipped: [],
    });
  });

  it.each([[-1], [1.5], [Number.NaN]])("rejects needed = %s", (needed) => {
    expect(() => planAssignment(request({ needed }))).toThrow(DomainError);
  });

  it("rejects a load that is not a count", () => {
    expect(() => planAssignment(request({ pool: [reviewer("r-a")], load: { "r-a": -1 } }))).toThrow(
      DomainError,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random pools drawn from the same small world as the proposals' people, so that shared
// institutions, self-review, co-authorship and declarations collide often. Every generated string
// remembers which institution or person it denotes, so the oracle below needs no normalization of
// its own and does not call conflictsOf.

const INSTITUTIONS = [
  "The University of Example",
  "Université de Montréal",
  "Łódź Institute of Technology",
  "St. Olaf College",
  "Example University",
  "Universidad de São Paulo",
  "Kyoto University",
];

const stripAccents = (s: string) =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/Ł/g, "L").replace(/ł/g, "l");

const INSTITUTION_SPELLINGS: Array<(s: string) => string> = [
  (s) => s,
  (s) => s.toUpperCase(),
  (s) => s.toLowerCase(),
  stripAccents,
  (s) => s.replace(/university/i, "Univ."),
  (s) => s.replace(/institute/i, "Inst."),
  (s) => s.replace(/^the\s+/i, ""),
  (s) => (/^the\s/i.test(s) ? s : `The ${s}`),
  (s) => s.replace(/St\./, "Saint"),
  (s) => `  ${s.replace(/ /g, "   ")}, `,
];

const PEOPLE = [
  { name: "José García", email: "jose.garcia@example.edu" },
  { name: "Mei Lin", email: "mei@montreal.example" },
  { name: "Ola Nordmann", email: "ola@lodz.example" },
  { name: "Søren Kierkegaard", email: "soren@kk.example" },
  { name: "Ana Souza", email: "ana@souza.example" },
];

const NAME_SPELLINGS: Array<(s: string) => string> = [
  (s) => s,
  (s) => s.toUpperCase(),
  stripAccents,
  (s) => s.replace(/ /g, "  "),
  (s) => {
    if (s.includes(",")) return s;
    const [first, last] = s.trim().split(/\s+/);
    return `${last}, ${first}`;
  },
];

const PROPOSAL_IDS = ["prp_aaaaaaaaaaaaaaaaaaaaaaaaaa", "prp_bbbbbbbbbbbbbbbbbbbbbbbbbb"];
const KEYWORDS = ["ml-systems", "compilers", "sparse-attention", "robotics", "databases"];

const spelled = (base: string, spellings: Array<(s: string) => string>) =>
  fc.array(fc.constantFrom(...spellings), { maxLength: 3 }).map((fs) => fs.reduce((s, f) => f(s), base));

const institutionArb = fc
  .nat({ max: INSTITUTIONS.length - 1 })
  .chain((idx) => spelled(INSTITUTIONS[idx] as string, INSTITUTION_SPELLINGS).map((text) => ({ idx, text })));

const personIdxArb = fc.nat({ max: PEOPLE.length - 1 });
const personNameArb = personIdxArb.chain((idx) =>
  spelled((PEOPLE[idx] as { name: string }).name, NAME_SPELLINGS).map((text) => ({ idx, text })),
);
const personEmailArb = personIdxArb.chain((idx) =>
  fc
    .constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
    )
    .map((f) => ({ idx, text: f((PEOPLE[idx] as { email: string }).email) })),
);
const personRefArb = fc.oneof(personNameArb, personEmailArb);

const proposalPersonArb = fc
  .record({ name: personNameArb, email: personEmailArb, institution: institutionArb })
  // Name and email denote the same person, as they do on a real proposal.
  .map(({ name, institution }) => ({
    person: name.idx,
    institution: institution.idx,
    value: {
      name: name.text,
      email: (PEOPLE[name.idx] as { email: string }).email,
      institution: institution.text,
    },
  }));

const proposalArb = fc
  .record({
    proposalId: fc.constantFrom(...PROPOSAL_IDS),
    pi: proposalPersonArb,
    coInvestigators: fc.array(proposalPersonArb, { maxLength: 2 }),
    keywords: fc.subarray(KEYWORDS, { minLength: 1 }),
  })
  .map(({ proposalId, pi, coInvestigators, keywords }) => ({
    proposal: { proposalId, pi: pi.value, coInvestigators: coInvestigators.map((c) => c.value), keywords },
    people: new Set([pi.person, ...coInvestigators.map((c) => c.person)]),
    institutions: new Set([pi.institution, ...coInvestigators.map((c) => c.institution)]),
  }));

type Declared =
  | { kind: "proposal"; id: string; text: string }
  | { kind: "institution" | "person"; idx: number; text: string };
const declaredArb: fc.Arbitrary<Declared> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...PROPOSAL_IDS), upper: fc.boolean() })
    .map(({ id, upper }) => ({ kind: "proposal" as const, id, text: upper ? id.toUpperCase() : id })),
  institutionArb.map(({ idx, text }) => ({ kind: "institution" as const, idx, text })),
  personRefArb.map(({ idx, text }) => ({ kind: "person" as const, idx, text })),
);

const reviewerArb = fc.record({
  id: fc.integer({ min: 1, max: 30 }).map((n) => `r${String(n).padStart(2, "0")}`),
  self: fc.option(personNameArb, { nil: undefined, freq: 2 }),
  institution: institutionArb,
  coAuthors: fc.array(personRefArb, { maxLength: 2 }),
  declared: fc.array(declaredArb, { maxLength: 1 }),
  keywords: fc.subarray(KEYWORDS),
  maxLoad: fc.integer({ min: 1, max: 5 }),
  load: fc.integer({ min: 0, max: 4 }),
});

const worldArb = fc.record({
  subject: proposalArb,
  reviewers: fc.uniqueArray(reviewerArb, { selector: (r) => r.id, maxLength: 12 }),
  exclude: fc.uniqueArray(
    fc.integer({ min: 1, max: 30 }).map((n) => `r${String(n).padStart(2, "0")}`),
    {
      maxLength: 4,
    },
  ),
  needed: fc.integer({ min: 0, max: 6 }),
});

describe("planAssignment, property", () => {
  it("never assigns a conflicted, excluded or full reviewer, and accounts for every seat", () => {
    let conflictedSeen = 0;
    let assignedSeen = 0;
    fc.assert(
      fc.property(worldArb, ({ subject, reviewers, exclude, needed }) => {
        // Prepare
        const { proposal } = subject;
        const pool = reviewers.map((r) =>
          ReviewerProfile.parse({
            reviewerId: r.id,
            // Half the reviewers are one of the world's people, so some review their own proposal.
            name: r.self ? r.self.text : `Reviewer ${r.id}`,
            email: r.self ? (PEOPLE[r.self.idx] as { email: string }).email : `${r.id}@reviewers.example`,
            institution: r.institution.text,
            keywords: r.keywords,
            coAuthors: r.coAuthors.map((c) => c.text),
            declaredConflicts: r.declared.map((d) => d.text),
            maxLoad: r.maxLoad,
          }),
        );
        const load = Object.fromEntries(reviewers.map((r) => [r.id, r.load]));
        const byId = new Map(pool.map((p) => [p.reviewerId, p]));
        // Act
        const plan = planAssignment({ proposal, pool, load, needed, exclude });
        // Assess
        expect(plan.assigned.length).toBeLessThanOrEqual(needed);
        expect(plan.assigned.length + plan.shortBy).toBe(needed);
        expect(new Set(ids(plan)).size).toBe(plan.assigned.length);
        for (const { reviewerId } of plan.assigned) {
          const profile = byId.get(reviewerId);
          expect(profile).toBeDefined();
          if (!profile) continue;
          expect(conflictsOf(profile, proposal)).toEqual([]);
          expect((load[reviewerId] ?? 0) + 1).toBeLessThanOrEqual(profile.maxLoad);
          expect(exclude).not.toContain(reviewerId);
        }
        // Short only when nobody available was left out.
        if (plan.shortBy > 0) expect(plan.assigned.length + plan.skipped.length).toBe(pool.length);
        // The same world in another order gives the same plan.
        expect(
          planAssignment({ proposal, pool: [...pool].reverse(), load, needed, exclude }).assigned,
        ).toEqual(plan.assigned);

        // Oracle, from what each string was generated to denote.
        const assigned = new Set(ids(plan));
        for (const r of reviewers) {
          const sharesInstitution = subject.institutions.has(r.institution.idx);
          const isOnProposal = r.self !== undefined && subject.people.has(r.self.idx);
          const coAuthored = r.coAuthors.some((c) => subject.people.has(c.idx));
          const declared = r.declared.some((d) =>
            d.kind === "proposal"
              ? d.id === proposal.proposalId
              : d.kind === "institution"
                ? subject.institutions.has(d.idx)
                : subject.people.has(d.idx),
          );
          const conflicted = sharesInstitution || isOnProposal || coAuthored || declared;
          if (conflicted) {
            conflictedSeen++;
            expect(assigned.has(r.id), `${r.id} is conflicted but was assigned`).toBe(false);
          }
        }
        assignedSeen += plan.assigned.length;
      }),
      { numRuns: 1000 },
    );
    // The world is small on purpose; make sure it did produce both outcomes often.
    expect(conflictedSeen).toBeGreaterThan(1000);
    expect(assignedSeen).toBeGreaterThan(500);
  });

  it("never assigns a reviewer who shares an institution with anyone on the proposal (oracle)", () => {
    fc.assert(
      fc.property(worldArb, ({ subject, reviewers, needed }) => {
        const pool = reviewers.map((r) =>
          ReviewerProfile.parse({
            reviewerId: r.id,
            name: `Reviewer ${r.id}`,
            email: `${r.id}@reviewers.example`,
            institution: r.institution.text,
            keywords: r.keywords,
          }),
        );
        const plan = planAssignment({ proposal: subject.proposal, pool, load: {}, needed, exclude: [] });
        const colleagues = reviewers
          .filter((r) => subject.institutions.has(r.institution.idx))
          .map((r) => r.id);
        for (const id of colleagues) expect(ids(plan)).not.toContain(id);
        // And only shared institutions stood in the way here.
        const others = reviewers.length - colleagues.length;
        expect(plan.assigned.length).toBe(Math.min(needed, others));
      }),
      { numRuns: 1000 },
    );
  });
});
