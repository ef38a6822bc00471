import { join } from "node:path";
import { IntegrationScope, Role } from "@allot/core";
import { configFromEnv } from "@allot/local/config";
import { loadIssuer } from "@allot/local/http/issuer";
import { Command, InvalidArgumentError, Option } from "commander";
import { contextOf } from "../context.js";
import { printJson, processIo } from "../output.js";

const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of seconds");
  return n;
};

export const tokenCommand = (io = processIo) =>
  new Command("token")
    .summary("mint a bearer token for the LOCAL stack")
    .description(
      "Mint a bearer token signed by the local stack's issuer key (issuer-key.json in the data folder, " +
        "ALLOT_DATA_DIR, default .allot; created on first use and shared with `npm start`). " +
        "Local only: a deployed stage trusts its own identity provider's tokens, so get those there.",
    )
    .requiredOption("--sub <user-id>", "the token's subject (the user id)")
    .addOption(
      new Option("--role <role>", "the allot:role claim").choices(Role.options).makeOptionMandatory(),
    )
    .option("--name <full-name>", "a name claim")
    .addOption(
      new Option("--scope <scope...>", "an integration token's scopes (default: all of them)").choices(
        IntegrationScope.options,
      ),
    )
    .option("--ttl <seconds>", "lifetime", seconds, 43_200)
    .addHelpText("after", "\nExample:\n  export ALLOT_TOKEN=$(npx allot token --sub sam --role staff)")
    .action(
      async (
        options: { sub: string; role: string; name?: string; scope?: string[]; ttl: number },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const issuer = await loadIssuer(join(configFromEnv().dataDir, "issuer-key.json"));
        const token = await issuer.mint(
          {
            sub: options.sub,
            role: options.role,
            ...(options.name ? { name: options.name } : {}),
            ...(options.scope ? { scope: options.scope.join(" ") } : {}),
          },
          options.ttl,
        );
        if (context.json) printJson(io, { token });
        else io.out(`${token}\n`);
      },
    );
