import { describe, expect, it } from "vitest";
import {
  projectInactivatedMessage,
  projectReactivatedMessage,
  templates,
} from "../src/notification/index.js";

describe("the notices of a project following its credits", () => {
  it("tells the grantee the project is inactivated, with the overage when there is one", () => {
    const message = projectInactivatedMessage({
      applicantName: "Cora",
      awardId: "awd_1",
      proposalTitle: "Sparse attention",
      creditsCents: 1_000_000,
      overageCents: 100_000,
    });
    expect(message.subject).toBe(
      "Award awd_1: your project on the cluster is inactivated, its credits are used up",
    );
    expect(message.text).toContain("Dear Cora,");
    expect(message.text).toContain("Awarded and consumed: $10,000.00");
    expect(message.text).toContain("Usage beyond the credits (recorded as overage): $1,000.00");
    const none = projectInactivatedMessage({
      awardId: "awd_1",
      proposalTitle: "Sparse attention",
      creditsCents: 5,
      overageCents: 0,
    });
    expect(none.text).not.toContain("overage");
    expect(templates["project-inactivated"]).toBe(projectInactivatedMessage);
  });

  it("tells the grantee the project runs again, with the credits left", () => {
    const message = projectReactivatedMessage({
      awardId: "awd_1",
      proposalTitle: "Sparse attention",
      remainingCents: 200_000,
    });
    expect(message.subject).toBe("Award awd_1: your project on the cluster is active again");
    expect(message.text).toContain("Credits remaining: $2,000.00.");
    expect(templates["project-reactivated"]).toBe(projectReactivatedMessage);
  });
});
