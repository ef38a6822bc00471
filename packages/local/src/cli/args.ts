import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The command line of an operator command: `--help` (or `-h`) prints the usage and exits 0; an
 * unknown option or a malformed value prints one line saying what is wrong, then the usage, and
 * exits 2, instead of Node's ERR_PARSE_ARGS_* stack trace.
 */
export const parseCommandLine = <O extends Options>(usage: string, options: O) => {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: O }>>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    }) as unknown as typeof parsed;
  } catch (error) {
    // Node's message goes on to explain "--" for positionals; its first sentence says it all.
    process.stderr.write(`${(error as Error).message.split(". ")[0]}\n${usage}\n`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
};
