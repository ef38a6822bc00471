// A static reading of which table entities (partition-key prefixes) a handler's code can reach:
// the handler's imports inside packages/functions/src (file by file), the adapters it names
// from @allot/adapters (export by export), and the key builders of keys.ts those adapters use.
// Over-approximate by design (a deps factory that builds four repositories counts all four), so
// "declared ⊇ reached" is a check a handler cannot slip past by using a builder it did not declare.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CONSUMPTION_PREFIX, OUTBOX_PREFIX, USAGE_PREFIX } from "@allot/stacks/streams";

const root = resolve(import.meta.dirname, "../../..");
const adaptersSrc = join(root, "packages/adapters/src");
const keysFile = join(adaptersSrc, "dynamo/keys.ts");

const PREFIX_CONSTANTS: Record<string, string> = { CONSUMPTION_PREFIX, OUTBOX_PREFIX, USAGE_PREFIX };
const DELETES = /\bDeleteCommand\b|\bDelete: \{/;
const WRITES =
  /\b(PutCommand|UpdateCommand|TransactWriteCommand|BatchWriteCommand|transactWrite|putItem|updateItem)\b|\btransact\(|\bput\(|\bupdate\(/;

/** Each key builder of keys.ts (`awardKeys`, …) with the table partition-key prefixes it spells. */
export const keyBuilderPrefixes = (): Map<string, Set<string>> => {
  const text = readFileSync(keysFile, "utf8");
  const builders = new Map<string, Set<string>>();
  for (const block of text.split(/^export const /m).slice(1)) {
    const name = /^(\w+Keys)\s*=/.exec(block)?.[1];
    if (!name) continue;
    const prefixes = new Set<string>();
    // A table key's pk, never an index partition's (object literals that carry `index:`);
    // interpolations become `§…§` first so the literal's braces are the only ones left.
    const flat = block.replace(/\$\{([^{}]*)\}/g, "§$1§");
    for (const literal of flat.match(/\{[^{}]*\}/g) ?? []) {
      if (literal.includes("index:")) continue;
      for (const m of literal.matchAll(/\bpk: `(?:([A-Z]+)#|§(\w+)§)/g)) {
        const prefix = m[1] ? `${m[1]}#` : PREFIX_CONSTANTS[m[2] ?? ""];
        if (!prefix) throw new Error(`keys.ts: ${name} uses an unknown prefix constant ${m[2]}`);
        prefixes.add(prefix.slice(0, -1));
      }
    }
    builders.set(name, prefixes);
  }
  return builders;
};

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/import\s+(?:type\s+)?([\s\S]*?)\s+from\s+"([^"]+)"/g)].map(
    (m) => ({ clause: m[1] ?? "", from: m[2] ?? "", typeOnly: /^import\s+type/.test(m[0]) }),
  );

const resolveRelative = (from: string, spec: string) => {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return undefined;
};

const names = (clause: string) =>
  clause
    .replace(/[{}]/g, "")
    .split(",")
    .map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)[0] ?? "",
    )
    .filter(Boolean);

/** The file of packages/adapters/src that defines each exported name. */
const adapterExports = (() => {
  let cache: Map<string, string> | undefined;
  return () => {
    if (cache) return cache;
    cache = new Map();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts"))
          for (const m of readFileSync(path, "utf8").matchAll(
            /export (?:const|function|class|async function) (\w+)/g,
          ))
            if (m[1] && !cache?.has(m[1])) cache?.set(m[1], path);
      }
    };
    walk(adaptersSrc);
    return cache;
  };
})();

export interface EntitiesReached {
  read: Set<string>;
  write: Set<string>;
  /** Written by files that delete (DeleteItem, or a transaction's Delete). */
  delete: Set<string>;
  /** Whether some reached builder lists a partition of an index (gsi1/gsi2). */
  indexes: Set<string>;
}

/** The entities a handler file (packages/functions/src/…) can reach, read and written. */
export const entitiesReachedBy = (handlerFile: string): EntitiesReached => {
  const builders = keyBuilderPrefixes();
  const keysText = readFileSync(keysFile, "utf8");
  const indexUsers = new Map<string, Set<string>>();
  for (const block of keysText.split(/^export const /m).slice(1)) {
    const name = /^(\w+Keys)\s*=/.exec(block)?.[1];
    if (name) indexUsers.set(name, new Set([...block.matchAll(/index: "(gsi\d)"/g)].map((m) => m[1] ?? "")));
  }
  const reached: EntitiesReached = {
    read: new Set(),
    write: new Set(),
    delete: new Set(),
    indexes: new Set(),
  };
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || file === keysFile) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const inAdapters = file.startsWith(adaptersSrc);
    for (const { clause, from, typeOnly } of importsOf(file)) {
      if (typeOnly) continue;
      if (from.startsWith(".")) {
        const target = resolveRelative(file, from);
        if (target === keysFile) {
          const writes = WRITES.test(text);
          const deletes = DELETES.test(text);
          for (const name of names(clause)) {
            for (const prefix of builders.get(name) ?? []) {
              reached.read.add(prefix);
              if (writes) reached.write.add(prefix);
              if (deletes) reached.delete.add(prefix);
            }
            for (const index of indexUsers.get(name) ?? []) reached.indexes.add(index);
          }
        } else if (target && (inAdapters || target.startsWith(join(root, "packages/functions/src"))))
          visit(target);
      } else if (from === "@allot/adapters" || from.startsWith("@allot/adapters/")) {
        for (const name of names(clause)) {
          const defining = adapterExports().get(name);
          if (defining) visit(defining);
        }
      }
    }
  };
  visit(resolve(root, handlerFile));
  return reached;
};
