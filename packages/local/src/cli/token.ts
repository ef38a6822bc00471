import { join } from "node:path";
import { Role } from "@allot/core";
import { configFromEnv } from "../config.js";
import { loadIssuer } from "../http/issuer.js";
import { parseCommandLine } from "./args.js";

// Mints a bearer token from the local issuer's key in the data folder (created on first use,
// shared with `npm start`), e.g.: npm run token -- --sub alice --role applicant
const usage = `usage: npm run token -- --sub <user id> --role <${Role.options.join("|")}> [--name "Full Name"] [--ttl seconds]`;
const { values, positionals } = parseCommandLine(usage, {
  sub: { type: "string" },
  role: { type: "string" },
  name: { type: "string" },
  ttl: { type: "string", default: "43200" },
});
const role = Role.safeParse(values.role);
if (!values.sub || !role.success || positionals.length) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
const issuer = await loadIssuer(join(configFromEnv().dataDir, "issuer-key.json"));
process.stdout.write(
  `${await issuer.mint({ sub: values.sub, role: role.data, ...(values.name ? { name: values.name } : {}) }, Number(values.ttl))}\n`,
);
