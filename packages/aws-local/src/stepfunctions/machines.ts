import { AwsServiceError } from "../edge/errors.js";
import { validateName } from "./arns.js";
import { definitionHash, type Engine } from "./engine.js";
import { isConditionFailure, type MachineRecord } from "./store.js";

export const defaultRoleArn = (accountId: string) => `arn:aws:iam::${accountId}:role/aws-local-stepfunctions`;

export interface MachineChange {
  record: MachineRecord;
  change: "created" | "unchanged" | "updated";
}

/**
 * Creates (or, with `replace`, updates) a state machine. Executions keep the definition they
 * started with: the definition is stored under its hash and an execution points at the hash.
 */
export const saveMachine = async (
  engine: Engine,
  input: { name: unknown; definition: unknown; roleArn?: unknown },
  mode: "create" | "replace",
): Promise<MachineChange> => {
  const name = validateName(input.name, "state machine");
  if (typeof input.definition !== "string")
    throw new AwsServiceError("InvalidDefinition", "Invalid State Machine Definition: missing definition");
  const hash = definitionHash(input.definition);
  engine.parsed(hash, input.definition, true);
  const roleArn =
    typeof input.roleArn === "string" && input.roleArn ? input.roleArn : defaultRoleArn(engine.accountId);
  const existing = await engine.store.getMachine(name);
  if (existing) {
    if (existing.definitionHash === hash && existing.roleArn === roleArn)
      return { record: existing, change: "unchanged" };
    if (mode === "create") {
      throw new AwsServiceError(
        "StateMachineAlreadyExists",
        `State Machine Already Exists: '${existing.arn}'`,
      );
    }
    const record: MachineRecord = { ...existing, definitionHash: hash, roleArn, updateDate: engine.now() };
    await engine.store.putMachine(record, input.definition, "replace");
    return { record, change: "updated" };
  }
  const record: MachineRecord = {
    name,
    arn: engine.machineArn(name),
    definitionHash: hash,
    roleArn,
    creationDate: engine.now(),
  };
  try {
    await engine.store.putMachine(record, input.definition, "create");
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return saveMachine(engine, input, mode);
  }
  return { record, change: "created" };
};

export const describeMachine = async (engine: Engine, record: MachineRecord) => ({
  stateMachineArn: record.arn,
  name: record.name,
  status: "ACTIVE",
  definition: (await engine.store.getDefinition(record.definitionHash)) ?? "",
  roleArn: record.roleArn,
  type: "STANDARD",
  creationDate: record.creationDate / 1000,
  loggingConfiguration: { level: "OFF", includeExecutionData: false },
  tracingConfiguration: { enabled: false },
});
