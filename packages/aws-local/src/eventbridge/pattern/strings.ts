import { invalid } from "./errors.js";

export type StringTest = (value: string) => boolean;
export type Anchor = "equals" | "prefix" | "suffix";

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

// AWS folds case one UTF-16 unit at a time (lower- or upper-case form of each pattern character), so "ß" also
// matches "SS" and characters outside the BMP are compared exactly.
export function ignoreCaseTest(pattern: string, anchor: Anchor): StringTest {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const unit = pattern.charAt(index);
    const forms = [...new Set([unit, unit.toLowerCase(), unit.toUpperCase()])].map(escapeRegExp);
    source += forms.length === 1 ? escapeRegExp(unit) : `(?:${forms.join("|")})`;
  }
  const regExp = new RegExp(
    anchor === "prefix" ? `^${source}` : anchor === "suffix" ? `${source}$` : `^${source}$`,
  );
  return (value) => regExp.test(value);
}

export function anchoredTest(pattern: string, anchor: Anchor): StringTest {
  if (anchor === "prefix") return (value) => value.startsWith(pattern);
  if (anchor === "suffix") return (value) => value.endsWith(pattern);
  return (value) => value === pattern;
}

function wildcardSegments(pattern: string, where: string): string[] {
  const segments: string[] = [];
  let literal = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === "*") {
      if (pattern.charAt(index + 1) === "*") {
        invalid(
          `Wildcard ${JSON.stringify(pattern)} at ${where} has consecutive "*" characters at position ${index}; ` +
            `AWS does not allow "**"`,
        );
      }
      segments.push(literal);
      literal = "";
    } else if (char === "\\") {
      const next = pattern.charAt(index + 1);
      if (next !== "*" && next !== "\\") {
        invalid(
          `Wildcard ${JSON.stringify(pattern)} at ${where} has an invalid escape at position ${index}; ` +
            `a backslash may only escape "*" or another backslash`,
        );
      }
      literal += next;
      index++;
    } else {
      literal += char;
    }
  }
  segments.push(literal);
  return segments;
}

export function wildcardTest(pattern: string, where: string): StringTest {
  const segments = wildcardSegments(pattern, where);
  const first = segments[0] ?? "";
  const last = segments[segments.length - 1] ?? "";
  if (segments.length === 1) return (value) => value === first;
  const middle = segments.slice(1, -1);
  // Leftmost-first placement of the inner literals is optimal for "*"-only globs, so no backtracking is needed.
  return (value) => {
    const end = value.length - last.length;
    if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
    let position = first.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, position);
      if (found === -1 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}
