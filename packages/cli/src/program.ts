import { Command, CommanderError, Option } from "commander";
import { awardsCommand } from "./commands/awards.js";
import { callsCommand } from "./commands/calls.js";
import { clientsCommand } from "./commands/clients.js";
import { decisionsCommand } from "./commands/decisions.js";
import { eventsCommand } from "./commands/events.js";
import { ledgerCommand } from "./commands/ledger.js";
import { programsCommand } from "./commands/programs.js";
import { proposalsCommand } from "./commands/proposals.js";
import { reportsCommand } from "./commands/reports.js";
import { tokenCommand } from "./commands/token.js";
import { CliError, EXIT } from "./errors.js";
import type { Io } from "./output.js";

/** Every command of the tree, the root first. */
export const commandsOf = (command: Command): Command[] => [command, ...command.commands.flatMap(commandsOf)];

/** The `allot` command tree, writing to `io`; commander's own exits become exceptions. */
export const createProgram = (io: Io) => {
  const program = new Command("allot")
    .description(
      "The staff command line of Allot. It talks to the HTTP API of the local stack or of a deployed " +
        "stage (--url, --token); `allot events` talks to the local edge.",
    )
    .addOption(
      new Option("--url <url>", "the HTTP API's base URL (env ALLOT_API_URL)").default(
        io.env.ALLOT_API_URL || "http://localhost:3000",
      ),
    )
    .addOption(new Option("--token <jwt>", "a bearer token (env ALLOT_TOKEN); locally from `allot token`"))
    .addOption(
      new Option("--edge <url>", "the local AWS edge, for `allot events` (env ALLOT_EDGE_URL)").default(
        io.env.ALLOT_EDGE_URL || "http://localhost:4566",
      ),
    )
    .option("--json", "machine-readable output (JSON on stdout)")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 a failure (an API error, failed lines, ledger differences), 2 a usage error.",
    );
  if (io.env.ALLOT_TOKEN) program.setOptionValueWithSource("token", io.env.ALLOT_TOKEN, "env");
  for (const command of [
    tokenCommand(io),
    programsCommand(io),
    callsCommand(io),
    proposalsCommand(io),
    decisionsCommand(io),
    awardsCommand(io),
    ledgerCommand(io),
    reportsCommand(io),
    eventsCommand(io),
    clientsCommand(io),
  ])
    program.addCommand(command);
  for (const command of commandsOf(program)) {
    command
      .exitOverride()
      .showHelpAfterError("(add --help for usage)")
      .configureHelp({ showGlobalOptions: true })
      .configureOutput({ writeOut: io.out, writeErr: io.err });
  }
  return program;
};

/** Runs one command line; resolves to the process's exit code. */
export const runCli = async (argv: string[], io: Io): Promise<number> => {
  let exitCode: number = EXIT.ok;
  const run: Io = { ...io, setExitCode: (code) => (exitCode = Math.max(exitCode, code)) };
  try {
    await createProgram(run).parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are answers; a missing subcommand or a bad option is a usage error.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      io.err(`${error.message}\n`);
      return error.exitCode;
    }
    io.err(`${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failure;
  }
};
