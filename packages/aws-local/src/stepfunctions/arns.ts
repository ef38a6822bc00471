import { AwsServiceError } from "../edge/errors.js";

export interface Place {
  region: string;
  accountId: string;
}

export const stateMachineArn = (place: Place, name: string) =>
  `arn:aws:states:${place.region}:${place.accountId}:stateMachine:${name}`;

export const executionArn = (place: Place, machineName: string, name: string) =>
  `arn:aws:states:${place.region}:${place.accountId}:execution:${machineName}:${name}`;

const machinePattern = /^arn:aws:states:[^:]+:[^:]+:stateMachine:([^:]+)$/;
const executionPattern = /^arn:aws:states:[^:]+:[^:]+:execution:([^:]+):([^:]+)$/;

/** The machine name of a state machine ARN; AWS answers InvalidArn for anything else. */
export const machineNameOf = (arn: unknown): string => {
  const match = typeof arn === "string" ? machinePattern.exec(arn) : null;
  if (!match?.[1]) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${String(arn)}'`);
  return match[1];
};

export const parseExecutionArn = (arn: unknown): { machineName: string; name: string } => {
  const match = typeof arn === "string" ? executionPattern.exec(arn) : null;
  if (!match?.[1] || !match[2]) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${String(arn)}'`);
  return { machineName: match[1], name: match[2] };
};

// The characters AWS forbids in state machine and execution names: names end up inside ARNs
// and CloudWatch dimensions, so a name accepted here must also be accepted by AWS.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what AWS forbids
const forbidden = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export const validateName = (name: unknown, what: string): string => {
  if (typeof name !== "string" || name.length < 1 || name.length > 80 || forbidden.test(name)) {
    throw new AwsServiceError("InvalidName", `Invalid Name: '${String(name)}' is not a valid ${what} name`);
  }
  return name;
};
