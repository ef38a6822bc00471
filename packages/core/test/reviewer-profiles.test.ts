import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import {
  getReviewerProfile,
  listReviewerProfiles,
  putReviewerProfile,
  type ReviewerProfileInput,
} from "../src/review/index.js";
import { memoryReviewers } from "./fakes.js";

let tick = 0;
const clock = { now: () => new Date(Date.UTC(2026, 10, 28, 10, 0, tick++)) };
const staff: Actor = { userId: "sam", role: "staff" };
const ada: Actor = { userId: "rev-ada", role: "reviewer" };
const bruno: Actor = { userId: "rev-bruno", role: "reviewer" };

const profile: Omit<ReviewerProfileInput, "reviewerId"> = {
  name: "Ada Okafor",
  email: "ada@northfield.example.edu",
  institution: "Northfield Institute of Technology",
  keywords: ["ml-systems"],
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error : undefined;
};

describe("reviewer profiles", () => {
  it("creates, replaces and skips an identical put, keeping the open assignments", async () => {
    // Prepare
    const { repo, items } = memoryReviewers();
    const deps = { reviewers: repo, clock };
    // Act
    const created = await putReviewerProfile(deps, staff, "rev-ada", profile);
    const stored = items.get("rev-ada");
    if (stored) stored.openAssignments = 3;
    const same = await putReviewerProfile(deps, staff, "rev-ada", { ...profile, reviewerId: "rev-ada" });
    const replaced = await putReviewerProfile(deps, staff, "rev-ada", { ...profile, maxLoad: 2 });
    // Assess
    expect(created.created).toBe(true);
    expect(created.profile).toMatchObject({
      reviewerId: "rev-ada",
      openAssignments: 0,
      maxLoad: 8,
      coAuthors: [],
    });
    expect(same.created).toBe(false);
    expect(same.profile.updatedAt).toBe(created.profile.updatedAt);
    expect(replaced).toMatchObject({
      created: false,
      profile: { maxLoad: 2, openAssignments: 3, updatedBy: "sam" },
    });
    expect(replaced.profile.updatedAt > created.profile.updatedAt).toBe(true);
  });

  it("names every problem at once, a body id that contradicts the path included", async () => {
    const { repo, items } = memoryReviewers();
    const error = await errorOf(
      putReviewerProfile({ reviewers: repo, clock }, staff, "rev-ada", {
        ...profile,
        reviewerId: "rev-bruno",
        email: "not an email",
        maxLoad: 0,
      }),
    );
    expect(error?.kind).toBe("validation");
    expect(error?.issues.map((i) => i.field).sort()).toEqual(["email", "maxLoad", "reviewerId"]);
    expect(items.size).toBe(0);
  });

  it("shows a profile to staff and to its reviewer only", async () => {
    const { repo } = memoryReviewers();
    const deps = { reviewers: repo, clock };
    await putReviewerProfile(deps, staff, "rev-ada", profile);
    await putReviewerProfile(deps, staff, "rev-bruno", { ...profile, name: "Bruno Costa" });

    expect((await getReviewerProfile(deps, staff, "rev-ada")).name).toBe("Ada Okafor");
    expect((await getReviewerProfile(deps, ada, "rev-ada")).name).toBe("Ada Okafor");
    expect((await errorOf(getReviewerProfile(deps, bruno, "rev-ada")))?.kind).toBe("not_found");
    expect(
      (await errorOf(getReviewerProfile(deps, { userId: "x", role: "applicant" }, "rev-ada")))?.kind,
    ).toBe("forbidden");
    expect((await errorOf(putReviewerProfile(deps, ada, "rev-ada", profile)))?.kind).toBe("forbidden");
    expect((await errorOf(listReviewerProfiles(deps, ada)))?.kind).toBe("forbidden");
    expect((await listReviewerProfiles(deps, staff)).map((r) => r.reviewerId)).toEqual([
      "rev-ada",
      "rev-bruno",
    ]);
  });
});
