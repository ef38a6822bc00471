// The event bus resource policy for partner accounts, as the EventBridge documentation shows
// for "allow another account to create rules on your bus": each partner manages only the rules
// it created (events:creatorAccount) on this bus, and only rules whose pattern names a source
// under allot.* (events:source). Plain data: the plan test reads it, infra/buses.ts applies it.

export const PARTNER_RULE_ACTIONS = [
  "events:PutRule",
  "events:PutTargets",
  "events:DeleteRule",
  "events:RemoveTargets",
  "events:DescribeRule",
  "events:ListTargetsByRule",
] as const;

const ACCOUNT = /^\d{12}$/;

export const partnerAccountProblems = (accounts: string[]) =>
  accounts
    .filter((a) => !ACCOUNT.test(a))
    .map((a) => `partner account "${a}" is not a 12-digit AWS account id`);

export const partnerBusPolicy = (
  busArn: string,
  accounts: string[],
  partition = "aws",
): { Version: "2012-10-17"; Statement: object[] } => {
  // rule/<bus>/* : busArn is arn:…:event-bus/<bus>.
  const rules = `${busArn.replace(/:event-bus\//, ":rule/")}/*`;
  return {
    Version: "2012-10-17",
    Statement: accounts.flatMap((account) => {
      const principal = { AWS: `arn:${partition}:iam::${account}:root` };
      const ownRules = { StringEqualsIfExists: { "events:creatorAccount": account } };
      return [
        {
          // A rule's pattern must name its sources, every one under allot.* (events:source holds
          // each source of the pattern; Null false makes a pattern without one a refusal).
          Sid: `PartnerPutRule${account}`,
          Effect: "Allow",
          Principal: principal,
          Action: ["events:PutRule"],
          Resource: rules,
          Condition: {
            ...ownRules,
            "ForAllValues:StringLike": { "events:source": "allot.*" },
            Null: { "events:source": "false" },
          },
        },
        {
          Sid: `PartnerManageRules${account}`,
          Effect: "Allow",
          Principal: principal,
          Action: PARTNER_RULE_ACTIONS.filter((a) => a !== "events:PutRule"),
          Resource: rules,
          Condition: ownRules,
        },
      ];
    }),
  };
};
