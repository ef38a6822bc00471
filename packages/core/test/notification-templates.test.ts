import { describe, expect, it } from "vitest";
import {
  decisionMessage,
  formatCents,
  formatDuration,
  formatUtc,
  proposalReceivedMessage,
  reviewerAssignedMessage,
  reviewersNeededMessage,
  reviewReminderMessage,
  screeningOutcomeMessage,
  templates,
} from "../src/notification/index.js";
import { NotificationKind } from "../src/notification/schema.js";
import { anonymizedFeedback } from "../src/review/feedback.js";
import type { ReviewSubmission, Rubric } from "../src/review/schema.js";

const proposal = {
  applicantName: "Alice Applicant",
  proposalId: "prp_0123456789abcdefghjkmnpqrs",
  proposalTitle: "Sparse attention at scale",
  callTitle: "Spring 2027 research grants",
};

const rubric: Rubric = {
  criteria: [
    { id: "impact", name: "Impact", description: "How far the results reach", weight: 2 },
    { id: "feasibility", name: "Feasibility", description: "", weight: 1 },
  ],
  scale: { min: 1, max: 5 },
};

// Reviews as stored carry who wrote them; nothing of that may reach the applicant.
const reviews = [
  {
    reviewerId: "rev-zed",
    reviewerName: "Zed Reviewer",
    scores: { impact: 5, feasibility: 4 },
    comments: "For the committee: strong, but the budget is generous.",
    commentsToApplicant: "An ambitious plan. Zed Reviewer would like to see the baseline first.",
  },
  {
    reviewerId: "rev-yan",
    reviewerName: "Yan Other",
    scores: { impact: 4, feasibility: 4 },
    comments: "For the committee only: the PI's previous grant under-delivered.",
    commentsToApplicant: "Clear milestones.",
  },
  {
    reviewerId: "rev-xu",
    reviewerName: "Xu Third",
    scores: { impact: 4, feasibility: 3 },
    comments: "Fine, no notes here.",
  },
] as unknown as ReviewSubmission[];

const feedback = anonymizedFeedback(rubric, reviews, {
  reviewers: [
    { reviewerId: "rev-zed", name: "Zed Reviewer", email: "zed@reviewers.example" },
    { reviewerId: "rev-yan", name: "Yan Other", email: "yan@reviewers.example" },
    { reviewerId: "rev-xu", name: "Xu Third", email: "xu@reviewers.example" },
  ],
});

describe("amounts and times", () => {
  it("formats integer cents as exact dollars, with no floating point anywhere", () => {
    expect(formatCents(50_000_000)).toBe("$500,000.00");
    expect(formatCents(1_100_000_000)).toBe("$11,000,000.00");
    expect(formatCents(11_000_000_000)).toBe("$110,000,000.00");
    expect(formatCents(1)).toBe("$0.01");
    expect(formatCents(0)).toBe("$0.00");
    expect(formatCents(-1234)).toBe("-$12.34");
    // Cents that floats cannot hold: 2^53 + 1 survives as a BigInt.
    expect(formatCents(9_007_199_254_740_993n)).toBe("$90,071,992,547,409.93");
    expect(formatCents(Number.MAX_SAFE_INTEGER)).toBe("$90,071,992,547,409.91");
    expect(formatCents(1_999_999_999)).toBe("$19,999,999.99");
    expect(() => formatCents(10.5)).toThrow(RangeError);
    expect(() => formatCents(2 ** 60)).toThrow(RangeError);
  });

  it("states moments in UTC and durations in words", () => {
    expect(formatUtc("2027-03-05T17:00:00Z")).toBe("Friday, 5 March 2027, 17:00 UTC");
    expect(formatUtc("2027-03-05T23:30:00-02:00")).toBe("Saturday, 6 March 2027, 01:30 UTC");
    expect(formatDuration(2 * 86_400_000 + 5 * 3_600_000 + 59_000)).toBe("2 days and 5 hours");
    expect(formatDuration(86_400_000)).toBe("1 day");
    expect(formatDuration(3_600_000)).toBe("1 hour");
    expect(formatDuration(42 * 60_000)).toBe("42 minutes");
    expect(formatDuration(-90 * 60_000)).toBe("1 hour");
  });
});

describe("applicant templates", () => {
  it("confirms receipt with the title, the call, the reference and what happens next", () => {
    const { subject, text } = proposalReceivedMessage({ ...proposal, submittedAt: "2026-11-28T10:00:00Z" });
    expect(subject).toBe('We received your proposal "Sparse attention at scale"');
    expect(text).toContain("Dear Alice Applicant,");
    expect(text).toContain("Spring 2027 research grants");
    expect(text).toContain(proposal.proposalId);
    expect(text).toContain("Saturday, 28 November 2026, 10:00 UTC");
    expect(text).toMatch(/What happens next:\n {2}- Screening/);
    expect(text).toContain("withdraw");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("tells an eligible applicant the proposal is in review, an ineligible one every reason", () => {
    const eligible = screeningOutcomeMessage({ ...proposal, eligible: true });
    expect(eligible.subject).toContain("is in review");
    expect(eligible.text).toContain("moved on to review");

    const reasons = [
      "requestedCashCents: above the call's maximum of $400,000.00",
      "openSourcePlan: must mention github",
    ];
    const ineligible = screeningOutcomeMessage({ ...proposal, eligible: false, reasons });
    expect(ineligible.subject).toContain("is not eligible");
    expect(ineligible.text).toContain("The screening found 2 problems:");
    for (const reason of reasons) expect(ineligible.text).toContain(`  - ${reason}`);
  });

  it("states an approval's amounts exactly and both obligations, with the rationale and anonymous feedback", () => {
    // Act
    const { subject, text } = decisionMessage({
      ...proposal,
      outcome: "approve",
      cashCents: 49_999_999,
      creditsCents: 1_100_000_000,
      durationMonths: 12,
      rationale: "Strong impact on open long-context research.",
      feedback,
    });
    // Assess
    expect(subject).toBe('Your proposal "Sparse attention at scale" is approved');
    expect(text).toContain("Research grant: $499,999.99");
    expect(text).toContain("Compute credits: $11,000,000.00");
    expect(text).toContain("Period: 12 months");
    expect(text).toContain("publish a research paper");
    expect(text).toContain("open-source the work on GitHub under a permissive license");
    expect(text).toContain("The committee's rationale:\n    Strong impact on open long-context research.");
    expect(text).toContain("Reviewer feedback (3 reviews, mean score per criterion):");
    expect(text).toContain("  - Impact: 4.33 on a scale of 1 to 5\n    (How far the results reach)");
    expect(text).toContain("  - Feasibility: 3.67 on a scale of 1 to 5");
    expect(text).toMatch(/Reviewer 1:\n {4}\S/);
    expect(text).toContain("Reviewer 2:");
    expect(text).not.toContain("Reviewer 3:");
  });

  it("never names a reviewer nor shows the committee-only comments", () => {
    for (const outcome of ["approve", "decline", "waitlist"] as const) {
      const { text } = decisionMessage({
        ...proposal,
        ...(outcome === "approve" ? { outcome, cashCents: 1, creditsCents: 1 } : { outcome }),
        rationale: "Recorded rationale for the record.",
        feedback,
      });
      for (const secret of [
        "rev-zed",
        "rev-yan",
        "rev-xu",
        "Zed",
        "Yan",
        "Xu Third",
        "committee only",
        "For the committee",
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain("[redacted] would like to see the baseline first.");
      expect(text).toContain("Recorded rationale for the record.");
    }
  });

  it("words a decline and a waitlist, each with rationale and feedback but no award terms", () => {
    const declined = decisionMessage({
      ...proposal,
      outcome: "decline",
      rationale: "Out of the call's scope.",
      feedback,
    });
    expect(declined.text).toContain("declined your proposal");
    expect(declined.text).not.toContain("Research grant:");
    expect(declined.text).toContain("Out of the call's scope.");
    expect(declined.text).toContain("Impact: 4.33");

    const waitlisted = decisionMessage({
      ...proposal,
      outcome: "waitlist",
      rationale: "Fundable if budget frees up.",
      feedback,
    });
    expect(waitlisted.subject).toContain("waitlist");
    expect(waitlisted.text).toContain("placed your proposal");
    expect(waitlisted.text).not.toContain("obligations");

    const unreviewed = decisionMessage({
      ...proposal,
      outcome: "decline",
      rationale: "Withdrawn reviewers; decided by staff.",
      feedback: anonymizedFeedback(rubric, []),
    });
    expect(unreviewed.text).toContain("the proposal received no reviews");
  });
});

describe("reviewer and staff templates", () => {
  const assignment = {
    reviewerName: "Rita Reviewer",
    proposalId: proposal.proposalId,
    callTitle: proposal.callTitle,
    proposalTitle: proposal.proposalTitle,
    piName: "Alice Applicant",
    institution: "Uni A",
    deadline: "2027-03-05T17:00:00Z",
  };

  it("names the proposal and its PI to a reviewer in an open call, with the deadline", () => {
    const { subject, text } = reviewerAssignedMessage({ ...assignment, blind: false });
    expect(subject).toBe('Review request: "Sparse attention at scale"');
    expect(text).toContain('the proposal "Sparse attention at scale" by Alice Applicant (Uni A)');
    expect(text).toContain("by Friday, 5 March 2027, 17:00 UTC");
    expect(text).toContain("conflict of interest");
  });

  it("in a blind call says only 'a blind-review proposal', even when given the applicant", () => {
    for (const message of [
      reviewerAssignedMessage({ ...assignment, blind: true }),
      reviewReminderMessage({ ...assignment, blind: true, now: "2027-03-03T12:00:00Z" }),
    ]) {
      const all = `${message.subject}\n${message.text}`;
      expect(all).toContain(proposal.proposalId);
      for (const secret of ["Alice", "Applicant,", "Uni A", "Sparse attention"])
        expect(all).not.toContain(secret);
    }
    expect(reviewerAssignedMessage({ ...assignment, blind: true }).text).toContain("a blind-review proposal");
  });

  it("reminds with the time left, and says when the deadline has passed", () => {
    const early = reviewReminderMessage({ ...assignment, blind: false, now: "2027-03-03T12:00:00Z" });
    expect(early.subject).toBe(
      'Reminder: your review of "Sparse attention at scale" is due in 2 days and 5 hours',
    );
    expect(early.text).toContain("Time left: 2 days and 5 hours.");
    const late = reviewReminderMessage({ ...assignment, blind: false, now: "2027-03-05T20:00:00Z" });
    expect(late.subject).toContain("Overdue review");
    expect(late.text).toContain("The deadline passed 3 hours ago.");
  });

  it("tells staff which proposal is how many reviewers short", () => {
    const { subject, text } = reviewersNeededMessage({
      proposalId: proposal.proposalId,
      callId: "spring-2027",
      callTitle: proposal.callTitle,
      minReviewers: 3,
      assigned: 1,
      short: 2,
    });
    expect(subject).toBe(`Reviewers needed: proposal ${proposal.proposalId} in Spring 2027 research grants`);
    expect(text).toContain(
      "is 2 reviewers short: it needs 3, and 1 reviewer without a conflict of interest is assigned.",
    );
    expect(text).toContain("spring-2027");
  });

  it("has one template per notification kind", () => {
    expect(Object.keys(templates).sort()).toEqual([...NotificationKind.options].sort());
  });
});
