import { isPlainObject, isScalar, type JsonObject, type JsonScalar } from "./json.js";
import type { Branch } from "./types.js";

type Membership = readonly (readonly [arrayId: number, elementIndex: number])[];

interface Field {
  readonly value: JsonScalar;
  readonly membership: Membership;
}

export type EventFields = ReadonlyMap<string, readonly Field[]>;

export function namePrefixes(branches: readonly Branch[]): ReadonlySet<string> {
  const prefixes = new Set<string>();
  for (const branch of branches) {
    for (const { name } of branch) {
      let end = name.indexOf(".");
      while (end !== -1) {
        prefixes.add(name.slice(0, end));
        end = name.indexOf(".", end + 1);
      }
      prefixes.add(name);
    }
  }
  return prefixes;
}

// Mirrors event-ruler's event flattening: field names are keys joined with ".", and only objects or arrays nested in
// an array record which element they came from; scalars in an array share their enclosing membership.
export function flattenEvent(event: JsonObject, wanted: ReadonlySet<string>): EventFields {
  const fields = new Map<string, Field[]>();
  let arrayCount = 0;

  const visit = (value: unknown, name: string, membership: Membership): void => {
    if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childName = name === "" ? key : `${name}.${key}`;
        if (wanted.has(childName)) visit(child, childName, membership);
      }
    } else if (Array.isArray(value)) {
      const arrayId = arrayCount++;
      for (const [index, element] of value.entries()) {
        const nested = isPlainObject(element) || Array.isArray(element);
        visit(element, name, nested ? [...membership, [arrayId, index]] : membership);
      }
    } else if (isScalar(value)) {
      const list = fields.get(name);
      if (list === undefined) fields.set(name, [{ value, membership }]);
      else list.push({ value, membership });
    }
  };

  visit(event, "", []);
  return fields;
}

function consistent(a: Membership, b: Membership): boolean {
  for (const [arrayId, index] of b) {
    for (const [otherId, otherIndex] of a) if (otherId === arrayId && otherIndex !== index) return false;
  }
  return true;
}

function union(a: Membership, b: Membership): Membership {
  const extra = b.filter(([arrayId]) => !a.some(([otherId]) => otherId === arrayId));
  return extra.length === 0 ? a : [...a, ...extra];
}

function membershipKey(membership: Membership): string {
  return membership
    .map(([arrayId, index]) => `${arrayId}:${index}`)
    .sort()
    .join(",");
}

// Values matched for different fields must not come from different elements of the same array (AWS "array
// consistency"). Fields are tried in sorted name order, so {"exists": false} only sees the array elements chosen by
// fields that sort before it, exactly as AWS evaluates it.
export function matchesBranch(branch: Branch, fields: EventFields): boolean {
  const memo = new Map<string, boolean>();

  const from = (position: number, membership: Membership): boolean => {
    const condition = branch[position];
    if (condition === undefined) return true;
    const key = `${position}|${membershipKey(membership)}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const candidates = (fields.get(condition.name) ?? []).filter((field) =>
      consistent(membership, field.membership),
    );
    const result =
      (condition.matchesAbsence && candidates.length === 0 && from(position + 1, membership)) ||
      candidates.some(
        (field) =>
          condition.tests.some((test) => test(field.value)) &&
          from(position + 1, union(membership, field.membership)),
      );
    memo.set(key, result);
    return result;
  };

  return from(0, []);
}
