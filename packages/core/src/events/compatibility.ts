import type { CatalogEntry, JsonSchema } from "./catalog.js";

// The versioning policy (README, "Event versioning"), checked against the committed catalog:
// every (source, detail-type, version) once published stays published until its deprecation
// window ends, and stays backward compatible: whatever was valid under the committed schema is
// valid under the current one, and nothing a consumer read disappears. So: every property still
// present (and still required if it was) with a compatible type, no optional property made
// required, no new required property, no enum value removed, no constraint tightened. Adding an optional property keeps the version.
// Annotations (description, examples) are free to change.

type Schema = JsonSchema & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
};

const typesOf = (s: Schema): string[] | undefined => (s.type === undefined ? undefined : [s.type].flat());

const accepts = (types: string[] | undefined, type: string) =>
  types === undefined || types.includes(type) || (type === "integer" && types.includes("number"));

const show = (value: unknown) => JSON.stringify(value);

/** Lower bounds may only fall and upper bounds only rise. */
const bounds: Array<[keyof Schema & string, "min" | "max"]> = [
  ["minimum", "min"],
  ["exclusiveMinimum", "min"],
  ["minLength", "min"],
  ["minItems", "min"],
  ["maximum", "max"],
  ["exclusiveMaximum", "max"],
  ["maxLength", "max"],
  ["maxItems", "max"],
];

/** Why data valid under `before` may be refused by `after`, or lose a field; empty when compatible. */
export const schemaProblems = (before: Schema, after: Schema, at: string): string[] => {
  const oldBranches = before.anyOf ?? before.oneOf;
  const newBranches = after.anyOf ?? after.oneOf;
  if (oldBranches || newBranches) {
    const candidates = newBranches ?? [after];
    const unmatched = (oldBranches ?? [before]).filter(
      (branch) => !candidates.some((c) => schemaProblems(branch, c, at).length === 0),
    );
    return unmatched.length ? [`${at}: its type changed (${show(before)} is not accepted any more)`] : [];
  }
  const problems: string[] = [];
  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  if (newTypes && (!oldTypes || oldTypes.some((t) => !accepts(newTypes, t))))
    problems.push(
      `${at}: its type changed from ${oldTypes ? oldTypes.join("|") : "any"} to ${newTypes.join("|")}`,
    );
  if (after.const !== undefined && before.const !== after.const)
    problems.push(`${at}: its value changed from ${show(before.const)} to ${show(after.const)}`);
  if (after.enum) {
    const oldValues = before.enum ?? (before.const !== undefined ? [before.const] : undefined);
    if (!oldValues) problems.push(`${at}: it became an enum`);
    else {
      const removed = oldValues.filter((v) => !after.enum?.includes(v));
      if (removed.length) problems.push(`${at}: enum values removed: ${removed.map(show).join(", ")}`);
    }
  }
  for (const key of ["format", "pattern"] as const)
    if (after[key] !== undefined && after[key] !== before[key])
      problems.push(`${at}: its ${key} changed from ${show(before[key])} to ${show(after[key])}`);
  for (const [key, side] of bounds) {
    const was = before[key] as number | undefined;
    const is = after[key] as number | undefined;
    if (is !== undefined && (was === undefined || (side === "min" ? is > was : is < was)))
      problems.push(`${at}: ${key} tightened from ${was ?? "none"} to ${is}`);
  }
  const oldProperties = before.properties ?? {};
  const newProperties = after.properties ?? {};
  for (const [name, schema] of Object.entries(oldProperties)) {
    const next = newProperties[name];
    if (!next) problems.push(`${at}.${name}: removed`);
    else problems.push(...schemaProblems(schema, next, `${at}.${name}`));
  }
  const wasRequired = new Set(before.required ?? []);
  const isRequired = new Set(after.required ?? []);
  for (const name of wasRequired)
    if (name in newProperties && !isRequired.has(name))
      problems.push(`${at}.${name}: was required and is now optional (consumers rely on it)`);
  for (const name of after.required ?? [])
    if (!wasRequired.has(name))
      problems.push(
        name in oldProperties
          ? `${at}.${name}: was optional and is now required`
          : `${at}.${name}: a new required property (add it as optional)`,
      );
  if (after.additionalProperties === false && before.additionalProperties !== false)
    problems.push(`${at}: no longer accepts properties it does not name`);
  else if (typeof before.additionalProperties === "object" && typeof after.additionalProperties === "object")
    problems.push(...schemaProblems(before.additionalProperties, after.additionalProperties, `${at}.*`));
  if (before.items && after.items) problems.push(...schemaProblems(before.items, after.items, `${at}[]`));
  return problems;
};

const keyOf = (e: Pick<CatalogEntry, "source" | "detailType" | "version">) =>
  `${e.source} "${e.detailType}" v${e.version}`;

/**
 * Every way `current` breaks the policy against the `committed` catalog. `today` (an ISO date)
 * decides which deprecation windows have ended: a version may leave the catalog the day after
 * its `deprecatedUntil`.
 */
export const versioningProblems = (
  committed: CatalogEntry[],
  current: CatalogEntry[],
  today: string = new Date().toISOString().slice(0, 10),
): string[] => {
  const problems: string[] = [];
  const byKey = new Map(current.map((e) => [keyOf(e), e]));
  for (const before of committed) {
    const label = keyOf(before);
    const after = byKey.get(label);
    if (!after) {
      const ended =
        before.deprecatedBy !== undefined && !!before.deprecatedUntil && before.deprecatedUntil < today;
      if (!ended)
        problems.push(
          `${label}: no longer published; it must stay until its deprecation window ends (deprecatedBy and deprecatedUntil, committed first)`,
        );
      continue;
    }
    for (const part of ["detail", "webhook"] as const)
      problems.push(
        ...schemaProblems(before.schema[part] as Schema, after.schema[part] as Schema, part).map(
          (p) => `${label}: ${p}`,
        ),
      );
    if (before.deprecatedUntil && after.deprecatedUntil && after.deprecatedUntil < before.deprecatedUntil)
      problems.push(`${label}: its deprecation window was shortened to ${after.deprecatedUntil}`);
  }
  const versions = new Map<string, number[]>();
  for (const e of current) {
    const name = `${e.source} "${e.detailType}"`;
    versions.set(name, [...(versions.get(name) ?? []), e.version]);
  }
  for (const e of current) {
    const label = keyOf(e);
    const latest = Math.max(...(versions.get(`${e.source} "${e.detailType}"`) ?? []));
    if (e.deprecatedBy === undefined) {
      if (e.version < latest)
        problems.push(`${label}: an older version must name its successor (deprecatedBy)`);
      continue;
    }
    if (!byKey.has(keyOf({ ...e, version: e.deprecatedBy })))
      problems.push(`${label}: deprecated by version ${e.deprecatedBy}, which is not published`);
    if (!e.deprecatedUntil || !/^\d{4}-\d{2}-\d{2}$/.test(e.deprecatedUntil))
      problems.push(
        `${label}: a deprecated version says until when it is published (deprecatedUntil, YYYY-MM-DD)`,
      );
  }
  return problems;
};
