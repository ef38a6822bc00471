// Step Functions Standard, from the JSONPath ASL in stacks/ (SST's own builders emit JSONata,
// which the local runtime cannot run). The role may invoke exactly the functions the tasks name.
import { renderDefinition, type StateMachineSpec } from "@allot/stacks";
import type { StateMachinePlan, Statement } from "./plan.js";
import type { Resolver } from "./resolve.js";

const policyDocument = (statements: Statement[], resolve: Resolver) =>
  $jsonStringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Effect: "Allow",
      Action: statement.actions,
      Resource: statement.resources.map((ref) => resolve.arn(ref)),
    })),
  });

export const createStateMachine = (machine: StateMachinePlan, spec: StateMachineSpec, resolve: Resolver) => {
  const role = new aws.iam.Role(machine.role.logicalName, {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    }),
  });
  const policy = new aws.iam.RolePolicy(`${machine.role.logicalName}Policy`, {
    role: role.id,
    policy: policyDocument(machine.role.statements, resolve),
  });

  const logGroup = new aws.cloudwatch.LogGroup(machine.logging.logicalName, {
    name: machine.logging.logGroupName,
    retentionInDays: machine.logging.retentionDays,
  });

  // Every `${function:NAME}` placeholder becomes that function's real ARN.
  const functionArns = Object.fromEntries(
    machine.invokes.map((name) => [name, resolve.arn({ kind: "function", function: name })]),
  );
  const definition = $resolve(functionArns).apply((arns) =>
    renderDefinition(spec, (name) => {
      const arn = arns[name];
      if (!arn)
        throw new Error(`infra: state machine "${spec.name}" invokes "${name}", which is not in its plan`);
      return arn;
    }),
  );

  return new aws.sfn.StateMachine(
    machine.logicalName,
    {
      name: machine.physicalName,
      type: machine.type,
      definition,
      roleArn: role.arn,
      tracingConfiguration: { enabled: machine.tracing },
      loggingConfiguration: {
        level: machine.logging.level,
        includeExecutionData: machine.logging.includeExecutionData,
        logDestination: $interpolate`${logGroup.arn}:*`,
      },
    },
    // The role's policy must exist before Step Functions validates the definition against it.
    { dependsOn: [policy] },
  );
};
