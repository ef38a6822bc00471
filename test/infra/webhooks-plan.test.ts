import { type Topology, topology } from "@allot/stacks";
import { describe, expect, it } from "vitest";
import { PARTNER_RULE_ACTIONS, PlanError, partnerBusPolicy, planDeployment } from "../../infra/plan.js";

// The two issue-12 link kinds on AWS, on a topology that uses them (the subscription and
// delivery functions arrive with their own changes): what each grants, the variables, and the
// one Lambda permission for rules created at run time. Expectations are written out literally.

/** The topology without the delivery function: subscription rules would have nothing to target. */
const withoutDeliver = (): Topology => {
  const copy = structuredClone(topology) as Topology;
  copy.functions = copy.functions.filter((f) => f.name !== "deliver-webhook");
  return copy;
};

describe("webhook links on AWS", () => {
  const plan = planDeployment(topology, { stage: "production" });
  const manage = plan.functions.find((f) => f.name === "create-subscription");
  const deliver = plan.functions.find((f) => f.name === "deliver-webhook");
  const eventsStatements = (statements: { actions: string[] }[] = []) =>
    statements.filter((s) => s.actions.some((a) => a.startsWith("events:")));

  it("subscriptionRules: its own rules only, the pattern check, replays from the archive", () => {
    expect(eventsStatements(manage?.statements)).toEqual([
      {
        why: expect.any(String),
        actions: [
          "events:PutRule",
          "events:PutTargets",
          "events:RemoveTargets",
          "events:DeleteRule",
          "events:DescribeRule",
          "events:EnableRule",
          "events:DisableRule",
          "events:ListTargetsByRule",
        ],
        resources: [{ kind: "subscriptionRules", bus: "allot" }],
      },
      {
        why: expect.any(String),
        actions: ["events:TestEventPattern"],
        resources: [{ kind: "wildcard", reason: "events:TestEventPattern is not resource-scoped" }],
      },
      {
        why: expect.any(String),
        actions: ["events:StartReplay", "events:DescribeReplay"],
        resources: [{ kind: "archive", bus: "allot" }, { kind: "replays" }],
      },
    ]);
    expect(manage?.environment).toMatchObject({
      ALLOT_SUBSCRIPTION_RULE_PREFIX: {
        ref: { kind: "constant", value: "allot-webhook-" },
        attribute: "name",
      },
      ALLOT_SUBSCRIPTION_BUS: { ref: { kind: "bus", bus: "allot" }, attribute: "name" },
      ALLOT_WEBHOOK_DELIVER_FUNCTION_ARN: {
        ref: { kind: "function", function: "deliver-webhook" },
        attribute: "arn",
      },
      ALLOT_BUS_ARCHIVE_ARN: { ref: { kind: "archive", bus: "allot" }, attribute: "arn" },
    });
  });

  it("webhooks: nothing on AWS, and loopback stays refused (its variable unset)", () => {
    expect(eventsStatements(deliver?.statements)).toEqual([]);
    expect(Object.keys(deliver?.environment ?? {}).filter((k) => k.startsWith("ALLOT_WEBHOOK"))).toEqual([]);
  });

  it("one Lambda permission lets EventBridge invoke the delivery function from subscription rules only", () => {
    expect(plan.webhooks).toEqual({
      permission: {
        logicalName: "FnDeliverWebhookSubscriptionRulesPermission",
        function: "deliver-webhook",
        principal: "events.amazonaws.com",
        sourceArn: { kind: "subscriptionRules", bus: "allot" },
      },
    });
  });

  it("refuses subscription rules without a delivery function to target", () => {
    const error = (() => {
      try {
        planDeployment(withoutDeliver(), { stage: "dev" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).problems.join("\n")).toContain(`no "deliver-webhook" function`);
  });
});

describe("the bus policy for partner accounts", () => {
  it("has no policy without partners", () => {
    expect(planDeployment(topology, { stage: "production" }).busPolicies).toEqual([]);
  });

  it("lets each partner manage only the rules it created, matching allot.* sources", () => {
    const plan = planDeployment(topology, { stage: "production", partnerAccounts: ["111122223333"] });
    expect(plan.busPolicies).toEqual([
      { bus: "allot", logicalName: "BusAllotPartnerPolicy", partnerAccounts: ["111122223333"] },
    ]);
    const policy = partnerBusPolicy("arn:aws:events:us-east-1:123456789012:event-bus/allot-production", [
      "111122223333",
      "444455556666",
    ]);
    expect(policy.Statement).toHaveLength(4);
    const rules = "arn:aws:events:us-east-1:123456789012:rule/allot-production/*";
    expect(policy.Statement.slice(0, 2)).toEqual([
      {
        Sid: "PartnerPutRule111122223333",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: ["events:PutRule"],
        Resource: rules,
        Condition: {
          StringEqualsIfExists: { "events:creatorAccount": "111122223333" },
          "ForAllValues:StringLike": { "events:source": "allot.*" },
          Null: { "events:source": "false" },
        },
      },
      {
        Sid: "PartnerManageRules111122223333",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: [
          "events:PutTargets",
          "events:DeleteRule",
          "events:RemoveTargets",
          "events:DescribeRule",
          "events:ListTargetsByRule",
        ],
        Resource: rules,
        Condition: { StringEqualsIfExists: { "events:creatorAccount": "111122223333" } },
      },
    ]);
    // No PutEvents, no rule management beyond these, no wildcard action.
    expect(
      (PARTNER_RULE_ACTIONS as readonly string[]).filter((a) => a.includes("*") || a === "events:PutEvents"),
    ).toEqual([]);
  });

  it("refuses a partner that is not an account id", () => {
    expect(() => planDeployment(topology, { stage: "production", partnerAccounts: ["partner-x"] })).toThrow(
      PlanError,
    );
  });
});
