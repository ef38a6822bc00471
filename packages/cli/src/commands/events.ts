import { Command } from "commander";
import { contextOf } from "../context.js";
import { usageError } from "../errors.js";
import { printJson, processIo, table } from "../output.js";

// Letters are re-driven a few at a time so that progress shows and a letter someone else
// re-drove meanwhile is told apart from one that was re-driven here.
const REDRIVE_CHUNK = 10;

const LOCAL_ONLY =
  " Local stack only: an admin operation of the running local edge (--edge, ALLOT_EDGE_URL). On a " +
  "deployed stage it is not available through this CLI yet (there, dead letters are SQS queues and " +
  "replays start from the bus archive: aws events start-replay).";

const isoTime = (label: string, value: string) => {
  if (Number.isNaN(new Date(value).getTime()))
    throw usageError(`--${label} "${value}" is not a date (use ISO 8601, e.g. 2026-01-31T12:00:00Z)`);
  return value;
};

export const eventsCommand = (io = processIo) => {
  const events = new Command("events")
    .summary("dead letters, re-drive, replay and schedules on the local bus (local stack only)")
    .description(`Dead letters, re-drive, replay and running schedules on the local bus.${LOCAL_ONLY}`);
  events
    .command("dead-letters")
    .summary("list events whose delivery failed after every retry")
    .description(`List events whose delivery failed after every retry.${LOCAL_ONLY}`)
    .option("--all", "include letters already re-driven")
    .action(async (options: { all?: boolean }, command: Command) => {
      const context = contextOf(command, io);
      const { deadLetters } = await context.edge().listDeadLetters({ all: options.all === true });
      if (context.json) return printJson(io, deadLetters);
      table(io, deadLetters, [
        { header: "ID", value: (l) => l.id },
        { header: "STATUS", value: (l) => l.status },
        { header: "FAILED AT", value: (l) => l.failedAt },
        { header: "RULE", value: (l) => l.rule },
        { header: "FUNCTION", value: (l) => l.function },
        { header: "DETAIL TYPE", value: (l) => l.detailType },
        { header: "ATTEMPTS", value: (l) => l.attempts, right: true },
        { header: "ERROR", value: (l) => l.error },
      ]);
    });
  events
    .command("redrive")
    .summary("deliver dead letters again")
    .description(
      `Deliver dead letters again (every dead one when no id is given), with progress on stderr.${LOCAL_ONLY}`,
    )
    .argument("[ids...]", "dead-letter ids")
    .action(async (ids: string[], _options, command: Command) => {
      const context = contextOf(command, io);
      const edge = context.edge();
      const { deadLetters } = await edge.listDeadLetters({});
      const dead = new Set(deadLetters.map((l) => l.id));
      const chosen = ids.length ? ids.filter((id) => dead.has(id)) : [...dead];
      const skipped = ids.filter((id) => !dead.has(id));
      let redriven = 0;
      for (let i = 0; i < chosen.length; i += REDRIVE_CHUNK) {
        const chunk = chosen.slice(i, i + REDRIVE_CHUNK);
        redriven += (await edge.redriveDeadLetters({ ids: chunk })).redriven;
        io.err(`[${Math.min(i + REDRIVE_CHUNK, chosen.length)}/${chosen.length}] re-driven\n`);
      }
      const failures = [
        ...skipped.map((id) => `${id}: not a dead letter (unknown, or re-driven already)`),
        ...(redriven < chosen.length
          ? [`${chosen.length - redriven} letter(s) were re-driven by someone else meanwhile`]
          : []),
      ];
      if (failures.length) {
        io.err(`${failures.length} not re-driven here:\n${failures.map((f) => `  ${f}\n`).join("")}`);
        if (skipped.length) io.setExitCode(1);
      }
      if (context.json) return printJson(io, { redriven, notRedriven: skipped });
      io.out(`${redriven} dead letter(s) re-driven\n`);
    });
  events
    .command("replay")
    .summary("send a time range of archived events again")
    .description(
      "Send the archived events of a time range again to the bus's rules (or the named ones); " +
        `each replayed event carries replay-name.${LOCAL_ONLY}`,
    )
    .requiredOption("--from <time>", "start of the range, ISO 8601", (v) => isoTime("from", v))
    .requiredOption("--to <time>", "end of the range, ISO 8601", (v) => isoTime("to", v))
    .option("--bus <name>", "the bus", "allot")
    .option("--rule <name...>", "only these rules (repeatable)")
    .option("--name <replay-name>", "the replay's name (new; 1-64 of A-Z a-z 0-9 . - _)")
    .action(
      async (
        options: { from: string; to: string; bus: string; rule?: string[]; name?: string },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const started = Date.now();
        io.err(`replaying ${options.bus} from ${options.from} to ${options.to}…\n`);
        const result = await context.edge().startReplay({
          bus: options.bus,
          from: options.from,
          to: options.to,
          ...(options.rule?.length ? { rules: options.rule } : {}),
          ...(options.name ? { name: options.name } : {}),
        });
        io.err(
          `replay ${result.replayName}: ${result.replayed} event(s), ${result.deliveries} deliveries queued in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
        if (context.json) return printJson(io, result);
        io.out(`${result.replayName}  replayed ${result.replayed}  deliveries ${result.deliveries}\n`);
      },
    );
  events
    .command("run-schedule")
    .summary("fire a scheduled rule now")
    .description(
      "Fire a scheduled rule's target now, with the Scheduled Event its clock sends (a new event: " +
        "its regular periods are unchanged). On a deployed stage, invoke the function instead " +
        `(aws lambda invoke).${LOCAL_ONLY}`,
    )
    .argument("<name>", "the schedule's name, as stacks/ declares it")
    .action(async (name: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const result = await context.edge().runSchedule({ name });
      if (context.json) return printJson(io, result);
      io.out(`${name}: event ${result.eventId} sent to ${result.deliveries} target(s)\n`);
    });
  return events;
};
