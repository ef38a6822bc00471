#!/usr/bin/env node
// Installs SST's platform and its providers into .sst/platform (git-ignored), so that
// sst.config.ts and infra/ type-check on a clean clone with no AWS account and no network
// beyond the npm registry. Run after `npm ci`:  node infra/scripts/sst-install.mjs
//
// - The SST CLI comes from the `sst-linux-x64` (or other platform) npm package.
// - `sst install` needs bun to fetch @pulumi/aws and friends from the npm registry: we point it
//   at the `bun` devDependency with SST_BUN_PATH.
// - SST_SKIP_DEPENDENCY_CHECK stops it from downloading Pulumi (only deploys need Pulumi).
// - Idempotent: skipped when .sst/platform matches the sst version and sst.config.ts.
//   Set SST_FORCE_INSTALL=1 to reinstall.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(root, "package.json"));
const stampFile = join(root, ".sst/platform/.allot-install-stamp");

const fail = (message) => {
  console.error(`sst-install: ${message}`);
  process.exit(1);
};

const sstVersion = (() => {
  try {
    return JSON.parse(readFileSync(join(root, "node_modules/sst/package.json"), "utf8")).version;
  } catch {
    return fail("the sst package is missing: run `npm ci` first");
  }
})();

const stamp = createHash("sha256")
  .update(sstVersion)
  .update(readFileSync(join(root, "sst.config.ts")))
  .digest("hex");

if (
  !process.env.SST_FORCE_INSTALL &&
  existsSync(join(root, ".sst/platform/config.d.ts")) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === stamp
) {
  process.exit(0);
}

const works = (path) => existsSync(path) && spawnSync(path, ["--version"], { stdio: "ignore" }).status === 0;

const bun = (() => {
  if (process.env.SST_BUN_PATH && works(process.env.SST_BUN_PATH)) return process.env.SST_BUN_PATH;
  const candidates = [join(root, "node_modules/bun/bin/bun.exe")];
  try {
    const pkg = require.resolve(
      `@oven/bun-${process.platform}-${process.arch === "arm64" ? "aarch64" : process.arch}/package.json`,
    );
    candidates.push(join(dirname(pkg), "bin/bun"));
  } catch {}
  return candidates.find(works) ?? fail("no working bun binary in node_modules: run `npm ci` first");
})();

const sstBinary = (() => {
  const name = `sst-${process.platform}-${process.arch}`;
  try {
    return require.resolve(`${name}/bin/${process.platform === "win32" ? "sst.exe" : "sst"}`);
  } catch {
    return fail(`the ${name} package is missing: run \`npm ci\` first`);
  }
})();

const started = Date.now();
const result = spawnSync(sstBinary, ["install"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    // `sst install` wants a stage although nothing is deployed; any name will do.
    SST_STAGE: process.env.SST_STAGE || "offline",
    SST_BUN_PATH: bun,
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_TELEMETRY_DISABLED: "1",
  },
});
if (result.status !== 0) fail(`\`sst install\` failed (exit ${result.status ?? result.signal})`);
if (!existsSync(join(root, ".sst/platform/config.d.ts")))
  fail("`sst install` did not write .sst/platform/config.d.ts");
writeFileSync(stampFile, stamp);
console.log(
  `sst-install: SST ${sstVersion} platform and providers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
