import { validationException } from "../edge/errors.js";
import type { JsonService } from "../edge/server.js";
import { eventBridgeCommands } from "./commands.js";
import type { EventBridgeEmulator } from "./index.js";

// Dead letters, re-drive, replay and running a scheduled rule now, of the running emulator, on its edge: an operator's client
// works on the very process that delivers, rather than on a second emulator over the same
// tables. Not an AWS API, hence its own target prefix.

type Input = Record<string, unknown>;

const optional = <T>(input: Input, name: string, is: (value: unknown) => value is T, what: string) => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw validationException(`Parameter ${name} is not valid. Reason: it must be ${what}.`);
  return value;
};

const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
const isString = (value: unknown): value is string => typeof value === "string";
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

const required = (input: Input, name: string) => {
  const value = optional(input, name, isString, "a string");
  if (!value) throw validationException(`Parameter ${name} is required.`);
  return value;
};

export const eventBridgeAdminService = (eventBridge: EventBridgeEmulator): JsonService => {
  const commands = eventBridgeCommands(eventBridge);
  return {
    name: "eventbridge-admin",
    targetPrefix: "AwsLocalAdmin",
    operations: {
      ListDeadLetters: async (input) => ({
        deadLetters: await commands.listDeadLetters({ all: optional(input, "all", isBoolean, "a boolean") }),
      }),
      RedriveDeadLetters: async (input) =>
        commands.redriveDeadLetters({ ids: optional(input, "ids", isStrings, "a list of strings") }),
      StartReplay: async (input) =>
        commands.replay({
          bus: required(input, "bus"),
          from: required(input, "from"),
          to: required(input, "to"),
          rules: optional(input, "rules", isStrings, "a list of strings"),
          name: optional(input, "name", isString, "a string"),
        }),
      RunSchedule: async (input) => commands.runSchedule({ name: required(input, "name") }),
    },
  };
};
