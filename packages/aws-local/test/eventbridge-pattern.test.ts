import { describe, expect, it } from "vitest";
import {
  compilePattern,
  InvalidEventPatternError,
  matchesPattern,
} from "../src/eventbridge/pattern/index.js";

interface MatchCase {
  readonly name: string;
  readonly pattern: unknown;
  readonly event: unknown;
  readonly matches: boolean;
}

interface InvalidCase {
  readonly name: string;
  readonly pattern: unknown;
  readonly message: RegExp;
}

const envelope = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

function withDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return { ...envelope, detail };
}

function runMatchCases(cases: readonly MatchCase[]): void {
  it.each(cases)("$name", ({ pattern, event, matches }) => {
    expect(compilePattern(pattern).matches(event)).toBe(matches);
  });
}

describe("event pattern basics", () => {
  // "Amazon EventBridge event patterns": the EC2 instance-termination example and field/value matching.
  runMatchCases([
    {
      name: "doc example: source, detail-type and detail.state all match",
      pattern: {
        source: ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
        detail: { state: ["terminated"] },
      },
      event: envelope,
      matches: true,
    },
    {
      name: "one field differing fails the whole pattern (fields are ANDed)",
      pattern: { source: ["aws.ec2"], detail: { state: ["running"] } },
      event: envelope,
      matches: false,
    },
    {
      name: "any value in the list may match (values are ORed)",
      pattern: { source: ["aws.ec2", "aws.fargate"] },
      event: envelope,
      matches: true,
    },
    {
      name: "a pattern field missing from the event does not match",
      pattern: { detail: { "instance-type": ["t3.micro"] } },
      event: envelope,
      matches: false,
    },
    {
      name: "matching covers the envelope fields account, region and time",
      pattern: { account: ["111122223333"], region: ["us-west-1"], time: ["2017-12-22T18:43:48Z"] },
      event: envelope,
      matches: true,
    },
    {
      name: "field names are case-sensitive",
      pattern: { Source: ["aws.ec2"] },
      event: envelope,
      matches: false,
    },
    {
      name: "string values are compared exactly, without case folding",
      pattern: { source: ["AWS.EC2"] },
      event: envelope,
      matches: false,
    },
    {
      name: "doc Macie example: nested numbers severity.score and count",
      pattern: { source: ["aws.macie"], detail: { severity: { score: [1] }, count: [2] } },
      event: {
        ...envelope,
        source: "aws.macie",
        detail: { severity: { score: 1, description: "Low" }, count: 2 },
      },
      matches: true,
    },
    {
      name: "numbers compare numerically (300 equals 3.0e2)",
      pattern: { detail: { limit: [3.0e2] } },
      event: withDetail({ limit: 300 }),
      matches: true,
    },
    {
      name: "a number pattern does not match the same digits as a string",
      pattern: { detail: { limit: [300] } },
      event: withDetail({ limit: "300" }),
      matches: false,
    },
    {
      name: "a string pattern does not match a number",
      pattern: { detail: { limit: ["300"] } },
      event: withDetail({ limit: 300 }),
      matches: false,
    },
    {
      name: "booleans match booleans",
      pattern: { detail: { enabled: [false] } },
      event: withDetail({ enabled: false }),
      matches: true,
    },
    {
      name: "false does not match true",
      pattern: { detail: { enabled: [false] } },
      event: withDetail({ enabled: true }),
      matches: false,
    },
    {
      name: 'the string "true" does not match the boolean true',
      pattern: { detail: { enabled: ["true"] } },
      event: withDetail({ enabled: true }),
      matches: false,
    },
    {
      name: "a JSON document inside a string field is not parsed",
      pattern: { detail: { "my-key": ["my-value"] } },
      event: { ...envelope, detail: '{"my-key": "my-value"}' },
      matches: false,
    },
    {
      name: "a leaf pattern does not match an object-valued event field",
      pattern: { detail: ["terminated"] },
      event: envelope,
      matches: false,
    },
    {
      name: "unicode strings with trailing whitespace match exactly",
      pattern: { detail: { text: ["A CamelCase string with an emoji 🚀 and trailing whitespace "] } },
      event: withDetail({ text: "A CamelCase string with an emoji 🚀 and trailing whitespace " }),
      matches: true,
    },
    {
      name: "inherited property names are not event fields",
      pattern: { detail: { toString: [{ exists: true }] } },
      event: withDetail({}),
      matches: false,
    },
  ]);
});

describe("null values and empty strings", () => {
  // "Matching null values and empty strings in Amazon EventBridge event patterns".
  const autoscaling = {
    ...envelope,
    source: "aws.autoscaling",
    "detail-type": "EC2 Instance Launch Successful",
    resources: [],
    detail: { eventVersion: "", responseElements: null },
  };
  runMatchCases([
    {
      name: 'doc example: [""] matches an empty string',
      pattern: { detail: { eventVersion: [""] } },
      event: autoscaling,
      matches: true,
    },
    {
      name: "doc example: [null] matches a null value",
      pattern: { detail: { responseElements: [null] } },
      event: autoscaling,
      matches: true,
    },
    {
      name: "[null] does not match a missing field",
      pattern: { detail: { missing: [null] } },
      event: autoscaling,
      matches: false,
    },
    {
      name: '[null] does not match the string "null"',
      pattern: { detail: { responseElements: [null] } },
      event: { ...autoscaling, detail: { responseElements: "null" } },
      matches: false,
    },
    {
      name: 'null and empty string are not interchangeable: [""] vs null',
      pattern: { detail: { responseElements: [""] } },
      event: autoscaling,
      matches: false,
    },
    {
      name: 'null and empty string are not interchangeable: [null] vs ""',
      pattern: { detail: { eventVersion: [null] } },
      event: autoscaling,
      matches: false,
    },
    {
      name: "[null] does not match an empty event array",
      pattern: { resources: [null] },
      event: autoscaling,
      matches: false,
    },
  ]);
});

describe("arrays", () => {
  // "Arrays in Amazon EventBridge event patterns": a non-empty intersection of pattern and event arrays matches.
  const resourcesPattern = {
    resources: [
      "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
    ],
  };
  const asg =
    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate";
  // event-ruler README "JSON Array Matching" (the engine behind EventBridge): fields must come from one element.
  const employees = {
    ...envelope,
    detail: {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    },
  };
  runMatchCases([
    {
      name: "doc example: the first pattern value matches the second event element",
      pattern: resourcesPattern,
      event: { ...envelope, resources: [asg, "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] },
      matches: true,
    },
    {
      name: "doc example: no common element does not match",
      pattern: resourcesPattern,
      event: { ...envelope, resources: [asg] },
      matches: false,
    },
    {
      name: "an event array of numbers matches a numeric value",
      pattern: { detail: { ports: [443] } },
      event: withDetail({ ports: [80, 443] }),
      matches: true,
    },
    {
      name: "nested event arrays are flattened",
      pattern: { detail: { tags: ["b"] } },
      event: withDetail({ tags: [["a"], ["b", "c"]] }),
      matches: true,
    },
    {
      name: "objects inside an array are matched as if they were the field's value",
      pattern: { detail: { employees: { firstName: ["Anna"] } } },
      event: employees,
      matches: true,
    },
    {
      name: "two fields from the same array element match",
      pattern: { detail: { employees: { firstName: ["Anna"], lastName: ["Smith"] } } },
      event: employees,
      matches: true,
    },
    {
      name: "two fields from different array elements do not match",
      pattern: { detail: { employees: { firstName: ["Anna"], lastName: ["Jones"] } } },
      event: employees,
      matches: false,
    },
    {
      name: "multi-level arrays of objects are flattened",
      pattern: { detail: { employees: { firstName: ["Peter"] } } },
      event: {
        ...envelope,
        detail: { employees: [[{ firstName: "John" }, { firstName: "Anna" }], [{ firstName: "Peter" }]] },
      },
      matches: true,
    },
  ]);
});

describe("prefix and suffix", () => {
  // Content filtering: "Prefix matching", "Prefix matching while ignoring case", "Suffix matching",
  // "Suffix matching while ignoring case".
  runMatchCases([
    {
      name: "doc example: time starts with 2017-12-22",
      pattern: { time: [{ prefix: "2017-12-22" }] },
      event: envelope,
      matches: true,
    },
    {
      name: "prefix that differs does not match",
      pattern: { time: [{ prefix: "2017-10-02" }] },
      event: envelope,
      matches: false,
    },
    {
      name: "prefix is case-sensitive",
      pattern: { source: [{ prefix: "AWS." }] },
      event: envelope,
      matches: false,
    },
    {
      name: "prefix only matches strings, not numbers",
      pattern: { detail: { code: [{ prefix: "12" }] } },
      event: withDetail({ code: 123 }),
      matches: false,
    },
    {
      name: "an empty prefix matches any string",
      pattern: { source: [{ prefix: "" }] },
      event: envelope,
      matches: true,
    },
    {
      name: "an empty prefix does not match null",
      pattern: { detail: { value: [{ prefix: "" }] } },
      event: withDetail({ value: null }),
      matches: false,
    },
    {
      name: "doc example: prefix equals-ignore-case EventB matches EvEnTb…",
      pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
      event: withDetail({ service: "EvEnTbridge" }),
      matches: true,
    },
    {
      name: "prefix equals-ignore-case still requires the prefix",
      pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
      event: withDetail({ service: "Lambda" }),
      matches: false,
    },
    {
      name: "doc example: FileName ends with .png",
      pattern: { detail: { FileName: [{ suffix: ".png" }] } },
      event: withDetail({ FileName: "image.png" }),
      matches: true,
    },
    {
      name: "suffix is case-sensitive",
      pattern: { detail: { FileName: [{ suffix: ".PNG" }] } },
      event: withDetail({ FileName: "image.png" }),
      matches: false,
    },
    {
      name: "doc example: suffix equals-ignore-case .png matches .PNG",
      pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
      event: withDetail({ FileName: "image.PNG" }),
      matches: true,
    },
    {
      name: "suffix equals-ignore-case does not match another extension",
      pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
      event: withDetail({ FileName: "image.jpg" }),
      matches: false,
    },
    {
      name: "suffix matches any element of an event array",
      pattern: { detail: { files: [{ suffix: ".png" }] } },
      event: withDetail({ files: ["a.txt", "b.png"] }),
      matches: true,
    },
  ]);
});

describe("equals-ignore-case", () => {
  // Content filtering: "Equals-ignore-case matching".
  runMatchCases([
    {
      name: "doc example: detail-type regardless of case",
      pattern: { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] },
      event: envelope,
      matches: true,
    },
    {
      name: "a different string does not match",
      pattern: { "detail-type": [{ "equals-ignore-case": "I do not match" }] },
      event: envelope,
      matches: false,
    },
    {
      name: "it is a whole-string comparison, not a prefix",
      pattern: { source: [{ "equals-ignore-case": "AWS" }] },
      event: envelope,
      matches: false,
    },
    {
      name: "an empty string matches only an empty string",
      pattern: { detail: { value: [{ "equals-ignore-case": "" }] } },
      event: withDetail({ value: "" }),
      matches: true,
    },
    {
      name: "non-strings never match",
      pattern: { detail: { value: [{ "equals-ignore-case": "5" }] } },
      event: withDetail({ value: 5 }),
      matches: false,
    },
    {
      name: "case folding is per character, so ß also matches SS",
      pattern: { detail: { street: [{ "equals-ignore-case": "Straße" }] } },
      event: withDetail({ street: "STRASSE" }),
      matches: true,
    },
  ]);
});

describe("anything-but", () => {
  // Content filtering: "Anything-but matching" (strings, numbers, lists, prefix, suffix, ignore case, wildcard).
  runMatchCases([
    {
      name: "doc example: state is anything but initializing",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({ state: "pending" }),
      matches: true,
    },
    {
      name: "the excluded string does not match",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({ state: "initializing" }),
      matches: false,
    },
    {
      name: "doc example: x-limit is anything but 123",
      pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
      event: withDetail({ "x-limit": 789 }),
      matches: true,
    },
    {
      name: "the excluded number does not match, compared numerically",
      pattern: { detail: { "x-limit": [{ "anything-but": 1.23e2 }] } },
      event: withDetail({ "x-limit": 123 }),
      matches: false,
    },
    {
      name: "doc example: list of strings, value outside the list",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
      event: withDetail({ state: "pending" }),
      matches: true,
    },
    {
      name: "list of strings, value inside the list",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
      event: withDetail({ state: "stopped" }),
      matches: false,
    },
    {
      name: "doc example: list of numbers, value inside the list",
      pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
      event: withDetail({ "x-limit": 300 }),
      matches: false,
    },
    {
      name: "anything-but requires the field to exist",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({}),
      matches: false,
    },
    {
      name: "a null value is anything but a string",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "running"] }] } },
      event: withDetail({ state: null }),
      matches: true,
    },
    {
      name: "a string exclusion never rejects a number",
      pattern: { detail: { code: [{ "anything-but": "101" }] } },
      event: withDetail({ code: 101 }),
      matches: true,
    },
    {
      name: "an event array matches if any element is not excluded",
      pattern: { detail: { state: [{ "anything-but": "stopped" }] } },
      event: withDetail({ state: ["stopped", "running"] }),
      matches: true,
    },
    {
      name: "an event array whose elements are all excluded does not match",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "running"] }] } },
      event: withDetail({ state: ["stopped", "running"] }),
      matches: false,
    },
    {
      name: "doc example: anything-but prefix init, value without the prefix",
      pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
      event: withDetail({ state: "post-init" }),
      matches: true,
    },
    {
      name: "anything-but prefix, value with the prefix",
      pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
      event: withDetail({ state: "initializing" }),
      matches: false,
    },
    {
      name: "anything-but prefix list",
      pattern: { detail: { state: [{ "anything-but": { prefix: ["init", "post"] } }] } },
      event: withDetail({ state: "post-init" }),
      matches: false,
    },
    {
      name: "anything-but prefix accepts a number value",
      pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
      event: withDetail({ state: 12 }),
      matches: true,
    },
    {
      name: "doc example: anything-but suffix .png, other extension",
      pattern: { detail: { FileName: [{ "anything-but": { suffix: ".png" } }] } },
      event: withDetail({ FileName: "file.txt.bak" }),
      matches: true,
    },
    {
      name: "anything-but suffix list, excluded extension",
      pattern: { detail: { FileName: [{ "anything-but": { suffix: [".txt", ".jpg"] } }] } },
      event: withDetail({ FileName: "file.jpg" }),
      matches: false,
    },
    {
      name: "doc example: anything-but equals-ignore-case rejects INITIALIZING",
      pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
      event: withDetail({ state: "INITIALIZING" }),
      matches: false,
    },
    {
      name: "anything-but equals-ignore-case list, other value",
      pattern: {
        detail: { state: [{ "anything-but": { "equals-ignore-case": ["initializing", "stopped"] } }] },
      },
      event: withDetail({ state: "pending" }),
      matches: true,
    },
    {
      name: "doc example: anything-but wildcard */lib/*, path outside lib",
      pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } },
      event: withDetail({ FilePath: "/usr/bin/app" }),
      matches: true,
    },
    {
      name: "anything-but wildcard list, path matching one wildcard",
      pattern: { detail: { FilePath: [{ "anything-but": { wildcard: ["*/init/*", "*/dir/*"] } }] } },
      event: withDetail({ FilePath: "dir/init/dir" }),
      matches: false,
    },
  ]);
});

describe("numeric", () => {
  // Content filtering: "Numeric matching" and the complex example's c-count/d-count/x-limit fields.
  const docPattern = {
    detail: {
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ numeric: ["=", 3.018e2] }],
    },
  };
  runMatchCases([
    {
      name: "doc example: all three numeric conditions hold",
      pattern: docPattern,
      event: withDetail({ "c-count": 5, "d-count": 3, "x-limit": 301.8 }),
      matches: true,
    },
    {
      name: "doc example: c-count outside (0, 5] fails",
      pattern: docPattern,
      event: withDetail({ "c-count": 42, "d-count": 3, "x-limit": 301.8 }),
      matches: false,
    },
    {
      name: "an open lower bound excludes the bound itself",
      pattern: { detail: { n: [{ numeric: [">", 0, "<=", 5] }] } },
      event: withDetail({ n: 0 }),
      matches: false,
    },
    {
      name: "a closed upper bound includes the bound itself",
      pattern: { detail: { n: [{ numeric: [">", 0, "<=", 5] }] } },
      event: withDetail({ n: 5 }),
      matches: true,
    },
    {
      name: "a closed lower bound includes the bound itself",
      pattern: { detail: { n: [{ numeric: [">=", 200, "<", 500] }] } },
      event: withDetail({ n: 200 }),
      matches: true,
    },
    {
      name: "an open upper bound excludes the bound itself",
      pattern: { detail: { n: [{ numeric: [">=", 200, "<", 500] }] } },
      event: withDetail({ n: 500 }),
      matches: false,
    },
    {
      name: "negative and fractional numbers",
      pattern: { detail: { n: [{ numeric: ["<", -0.5] }] } },
      event: withDetail({ n: -0.75 }),
      matches: true,
    },
    {
      name: '"=" compares numerically (3.018e2 equals 301.8)',
      pattern: { detail: { n: [{ numeric: ["=", 3.018e2] }] } },
      event: withDetail({ n: 301.8 }),
      matches: true,
    },
    {
      name: "numbers beyond 32 bits compare correctly",
      pattern: { detail: { n: [{ numeric: [">", 5e9] }] } },
      event: withDetail({ n: 123456789012 }),
      matches: true,
    },
    {
      name: "numeric never matches a numeric-looking string",
      pattern: { detail: { n: [{ numeric: [">", 100] }] } },
      event: withDetail({ n: "300" }),
      matches: false,
    },
    {
      name: "numeric never matches null",
      pattern: { detail: { n: [{ numeric: [">", 100] }] } },
      event: withDetail({ n: null }),
      matches: false,
    },
    {
      name: "numeric matches any element of an event array",
      pattern: { detail: { n: [{ numeric: [">=", 10] }] } },
      event: withDetail({ n: [1, 2, 30] }),
      matches: true,
    },
  ]);
});

describe("exists", () => {
  // Content filtering: "Exists matching" — it only considers leaf values.
  runMatchCases([
    {
      name: "doc example: exists true with detail.state present",
      pattern: { detail: { state: [{ exists: true }] } },
      event: envelope,
      matches: true,
    },
    {
      name: "doc example: exists true does not match an intermediate (object) node",
      pattern: { detail: { "c-count": [{ exists: true }] } },
      event: withDetail({ "c-count": { c1: 100 } }),
      matches: false,
    },
    {
      name: "exists true matches a null value",
      pattern: { detail: { state: [{ exists: true }] } },
      event: withDetail({ state: null }),
      matches: true,
    },
    {
      name: "exists true does not match a missing field",
      pattern: { detail: { state: [{ exists: true }] } },
      event: withDetail({}),
      matches: false,
    },
    {
      name: "exists true does not match an empty array",
      pattern: { resources: [{ exists: true }] },
      event: { ...envelope, resources: [] },
      matches: false,
    },
    {
      name: "doc example: exists false with detail.c-count missing",
      pattern: { detail: { "c-count": [{ exists: false }] } },
      event: envelope,
      matches: true,
    },
    {
      name: "doc example: exists false also matches when c-count is an object (not a leaf)",
      pattern: { detail: { "c-count": [{ exists: false }] } },
      event: withDetail({ "c-count": { c1: 100 } }),
      matches: true,
    },
    {
      name: "exists false does not match a present value",
      pattern: { detail: { state: [{ exists: false }] } },
      event: envelope,
      matches: false,
    },
    {
      name: "exists false matches when an intermediate object is missing",
      pattern: { detail: { level1: { level2: { level3: [{ exists: false }] } } } },
      event: withDetail({ level1: { other: "x" } }),
      matches: true,
    },
    {
      name: "exists false matches an empty array",
      pattern: { resources: [{ exists: false }] },
      event: { ...envelope, resources: [] },
      matches: true,
    },
    {
      name: "exists true finds a field inside one element of an array of objects",
      pattern: { detail: { automations: { id: [{ exists: true }] } } },
      event: withDetail({ automations: [{ key1: "value1" }, { id: "match" }, { key2: "value2" }] }),
      matches: true,
    },
    {
      name: "exists false requires the field to be absent from every array element",
      pattern: { detail: { automations: { id: [{ exists: false }] } } },
      event: withDetail({ automations: [{ key1: "value1" }, { id: "match" }] }),
      matches: false,
    },
    {
      name: "exists false sees only the element chosen by fields sorting before it (c-count < zz)",
      pattern: { detail: { items: { "c-count": [2], zz: [{ exists: false }] } } },
      event: withDetail({ items: [{ "c-count": 1, zz: "x" }, { "c-count": 2 }] }),
      matches: true,
    },
    {
      name: "exists false checked before any element is chosen sees every element (a-error < c-count)",
      pattern: { detail: { items: { "c-count": [2], "a-error": [{ exists: false }] } } },
      event: withDetail({ items: [{ "c-count": 1, "a-error": "x" }, { "c-count": 2 }] }),
      matches: false,
    },
    {
      name: "exists false OR anything-but: field absent",
      pattern: { detail: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } },
      event: withDetail({ purchased: { N: "789" } }),
      matches: true,
    },
    {
      name: "exists false OR anything-but: excluded value present",
      pattern: { detail: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } },
      event: withDetail({ homemade: { S: "roses" } }),
      matches: false,
    },
  ]);
});

describe("IP address (cidr)", () => {
  // Content filtering: "IP address matching" (IPv4 and IPv6).
  runMatchCases([
    {
      name: "doc example: 10.0.0.0/24 contains 10.0.0.255",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
      event: withDetail({ sourceIPAddress: "10.0.0.255" }),
      matches: true,
    },
    {
      name: "10.0.0.0/24 does not contain 10.0.1.1",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
      event: withDetail({ sourceIPAddress: "10.0.1.1" }),
      matches: false,
    },
    {
      name: "an invalid address (octet 256) does not match",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
      event: withDetail({ sourceIPAddress: "10.0.0.256" }),
      matches: false,
    },
    {
      name: "a number never matches a cidr",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
      event: withDetail({ sourceIPAddress: 123 }),
      matches: false,
    },
    {
      name: "host bits in the pattern are ignored (10.0.0.77/24)",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.77/24" }] } },
      event: withDetail({ sourceIPAddress: "10.0.0.1" }),
      matches: true,
    },
    {
      name: "a /0 range contains every IPv4 address",
      pattern: { detail: { sourceIPAddress: [{ cidr: "0.0.0.0/0" }] } },
      event: withDetail({ sourceIPAddress: "203.0.113.9" }),
      matches: true,
    },
    {
      name: "IPv6 /64 contains a fully expanded address",
      pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
      event: withDetail({ sourceIPAddress: "2001:0db8:1234:1a00:0000:0000:0000:0000" }),
      matches: true,
    },
    {
      name: "IPv6 /64 contains a compressed address",
      pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
      event: withDetail({ sourceIPAddress: "2001:db8:1234:1a00:dead:beef::1" }),
      matches: true,
    },
    {
      name: "IPv6 /64 does not contain an address outside it",
      pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
      event: withDetail({ sourceIPAddress: "2001:0db8:123f:1a01:0000:0000:0000:0000" }),
      matches: false,
    },
    {
      name: "an IPv6 range does not contain an IPv4 address",
      pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8::/32" }] } },
      event: withDetail({ sourceIPAddress: "32.1.13.184" }),
      matches: false,
    },
    {
      name: "an IPv4-mapped IPv6 address counts as IPv4",
      pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/8" }] } },
      event: withDetail({ sourceIPAddress: "::ffff:a00:1" }),
      matches: true,
    },
    {
      name: "a plain IP value matches any spelling of the same address",
      pattern: { detail: { sourceIPAddress: ["2001:db8::1"] } },
      event: withDetail({ sourceIPAddress: "2001:0db8:0:0:0:0:0:0001" }),
      matches: true,
    },
  ]);
});

describe("wildcard", () => {
  // Content filtering: "Wildcard matching" ("*" matches any run of characters; "\*" and "\\" are escapes).
  runMatchCases([
    {
      name: "Simple*Service",
      pattern: { detail: { name: [{ wildcard: "Simple*Service" }] } },
      event: withDetail({ name: "SimpleQueueService" }),
      matches: true,
    },
    {
      name: "the star may match nothing",
      pattern: { detail: { name: [{ wildcard: "Simple*Service" }] } },
      event: withDetail({ name: "SimpleService" }),
      matches: true,
    },
    {
      name: "doc example: event-bus ARN with an account wildcard",
      pattern: { detail: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] } },
      event: withDetail({ EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus" }),
      matches: true,
    },
    {
      name: "doc example: *.png matches files ending in .png",
      pattern: { detail: { FileName: [{ wildcard: "*.png" }] } },
      event: withDetail({ FileName: "dir/image.png" }),
      matches: true,
    },
    {
      name: "the literal parts must be anchored at both ends",
      pattern: { detail: { FileName: [{ wildcard: "*.png" }] } },
      event: withDetail({ FileName: "image.png.bak" }),
      matches: false,
    },
    {
      name: "a star spans path separators",
      pattern: { detail: { FileName: [{ wildcard: "/Users/*/doc.txt" }] } },
      event: withDetail({ FileName: "/Users/me/dir/dir/doc.txt" }),
      matches: true,
    },
    {
      name: "repeated sequences after the star",
      pattern: { detail: { FileName: [{ wildcard: "/Users/*/dir/dir/doc.txt" }] } },
      event: withDetail({ FileName: "/Users/me/dir/otherdir/doc.txt" }),
      matches: false,
    },
    {
      name: "several stars (*Title*)",
      pattern: { detail: { title: [{ wildcard: "*Title*" }] } },
      event: withDetail({ title: "The Title Page" }),
      matches: true,
    },
    {
      name: "\\* matches a literal star",
      pattern: { detail: { value: [{ wildcard: "a\\*b" }] } },
      event: withDetail({ value: "a*b" }),
      matches: true,
    },
    {
      name: "\\* does not act as a wildcard",
      pattern: { detail: { value: [{ wildcard: "a\\*b" }] } },
      event: withDetail({ value: "axxb" }),
      matches: false,
    },
    {
      name: "\\\\ matches a literal backslash",
      pattern: { detail: { value: [{ wildcard: "C:\\\\*" }] } },
      event: withDetail({ value: "C:\\Windows" }),
      matches: true,
    },
    {
      name: "an empty wildcard matches only an empty string",
      pattern: { detail: { value: [{ wildcard: "" }] } },
      event: withDetail({ value: "x" }),
      matches: false,
    },
    {
      name: "wildcard only matches strings",
      pattern: { detail: { value: [{ wildcard: "1*" }] } },
      event: withDetail({ value: 123 }),
      matches: false,
    },
    {
      name: 'a plain "*" value is an exact match, not a wildcard',
      pattern: { detail: { value: ["*"] } },
      event: withDetail({ value: "anything" }),
      matches: false,
    },
  ]);
});

describe("$or", () => {
  // Content filtering: "Complex example with $or matching", plus event-ruler README "The $or Primitive".
  const docOr = {
    detail: {
      $or: [
        { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
        { "d-count": [{ numeric: ["<", 10] }] },
        { "x-limit": [{ numeric: ["=", 3.018e2] }] },
      ],
    },
  };
  const cloudwatch = {
    source: ["aws.cloudwatch"],
    $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
  };
  runMatchCases([
    {
      name: "doc example: only d-count matches",
      pattern: docOr,
      event: withDetail({ "c-count": 0, "d-count": 0, "x-limit": 901.8 }),
      matches: true,
    },
    {
      name: "doc example: no alternative matches",
      pattern: docOr,
      event: withDetail({ "c-count": 0, "d-count": 10, "x-limit": 901.8 }),
      matches: false,
    },
    {
      name: "source AND (metricName OR namespace): namespace matches",
      pattern: cloudwatch,
      event: { ...envelope, source: "aws.cloudwatch", namespace: "AWS/ES" },
      matches: true,
    },
    {
      name: "source AND (metricName OR namespace): sibling field fails",
      pattern: cloudwatch,
      event: { ...envelope, source: "aws.ec2", metricName: "CPUUtilization" },
      matches: false,
    },
    {
      name: "an alternative may itself be an AND of fields",
      pattern: {
        source: ["aws.cloudwatch"],
        $or: [{ metricName: ["CPUUtilization"] }, { metricType: ["MetricType"], namespace: ["AWS/EC2"] }],
      },
      event: { ...envelope, source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2" },
      matches: true,
    },
    {
      name: "nested $or inside an alternative",
      pattern: {
        source: ["aws.cloudwatch"],
        $or: [
          { metricName: ["CPUUtilization"] },
          { namespace: ["AWS/EC2"], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        ],
      },
      event: { ...envelope, source: "aws.cloudwatch", namespace: "AWS/EC2", spaceId: 1000 },
      matches: true,
    },
    {
      name: "parallel $or at two levels must both hold",
      pattern: {
        $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }],
        detail: {
          $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }],
        },
      },
      event: { ...envelope, namespace: "AWS/EC2", detail: { source: "aws.ec2" } },
      matches: false,
    },
  ]);
});

describe("combined operators and AWS quirks", () => {
  // Content filtering: "Complex example with multiple matching".
  const complex = {
    time: [{ prefix: "2017-12-22" }],
    detail: {
      state: [{ "anything-but": "initializing" }],
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ "anything-but": [100, 200, 300] }],
      "source-ip": [{ cidr: "10.0.0.0/8" }],
    },
  };
  runMatchCases([
    {
      name: "doc complex example matches",
      pattern: complex,
      event: withDetail({
        state: "running",
        "c-count": 5,
        "d-count": 3,
        "x-limit": 301.8,
        "source-ip": "10.0.0.33",
      }),
      matches: true,
    },
    {
      name: "doc complex example fails on an excluded x-limit",
      pattern: complex,
      event: withDetail({
        state: "running",
        "c-count": 5,
        "d-count": 3,
        "x-limit": 300,
        "source-ip": "10.0.0.33",
      }),
      matches: false,
    },
    {
      name: "several operators in one list are ORed",
      pattern: { detail: { admins: ["skyli", { prefix: "hey" }, { prefix: "ad" }] } },
      event: withDetail({ admins: "admin" }),
      matches: true,
    },
    {
      name: "numeric OR anything-but on a string value",
      pattern: { detail: { N: [{ numeric: [">", 100] }, { "anything-but": "101" }] } },
      event: withDetail({ N: "42" }),
      matches: true,
    },
    // event-ruler README "Caveat: Compiled rules and JSON keys with dots": AWS joins keys with "." on both sides.
    {
      name: "a dotted pattern key matches nested event objects",
      pattern: { detail: { "state.status": ["running"] } },
      event: withDetail({ state: { status: "running" } }),
      matches: true,
    },
    {
      name: "nested pattern objects match a dotted event key",
      pattern: { detail: { state: { status: ["running"] } } },
      event: withDetail({ "state.status": "running" }),
      matches: true,
    },
    {
      name: "a dotted event key does not create a leaf one level up",
      pattern: { detail: { state: { status: ["running"] } } },
      event: withDetail({ "state.status": { status: "running" } }),
      matches: false,
    },
  ]);
});

describe("inputs", () => {
  it("accepts the pattern and the event as JSON text", () => {
    const pattern = '{"source": ["aws.ec2"], "detail": {"state": [{"anything-but": "running"}]}}';
    expect(matchesPattern(pattern, JSON.stringify(envelope))).toBe(true);
  });

  it("compiles once and matches many events", () => {
    const compiled = compilePattern({ detail: { state: ["running"] } });
    expect(compiled.matches(withDetail({ state: "running" }))).toBe(true);
    expect(compiled.matches(withDetail({ state: "stopped" }))).toBe(false);
    expect(compiled.matches(withDetail({}))).toBe(false);
  });

  it("rejects event text that is not JSON", () => {
    expect(() => matchesPattern({ source: ["aws.ec2"] }, "{not json")).toThrow(TypeError);
  });

  it("rejects an event that is not a JSON object", () => {
    expect(() => matchesPattern({ source: ["aws.ec2"] }, ["plain string"])).toThrow(
      "Event must be a JSON object",
    );
  });
});

describe("invalid patterns", () => {
  const fieldsAtLimit = Object.fromEntries(
    ["a", "b", "c", "d"].map((key) => [
      key,
      { $or: ["1", "2", "3", "4", "5", "6"].map((value) => ({ [`f${value}`]: [value] })) },
    ]),
  );
  const cases: readonly InvalidCase[] = [
    // "Amazon EventBridge event patterns": a pattern is a JSON object whose leaves are arrays.
    { name: "pattern that is not JSON", pattern: "{'bad': 'quotation'}", message: /not valid JSON/ },
    {
      name: "pattern that is a JSON array",
      pattern: '["not", "a", "dict"]',
      message: /must be a JSON object, got an array/,
    },
    { name: "pattern that is null", pattern: null, message: /must be a JSON object, got null/ },
    { name: "empty pattern {}", pattern: {}, message: /Event pattern is empty/ },
    { name: "empty nested object", pattern: { detail: {} }, message: /Empty object at detail/ },
    {
      name: "string leaf instead of an array",
      pattern: { source: "aws.ec2" },
      message: /Value at source must be an array.*got string "aws\.ec2"/,
    },
    {
      name: "number leaf instead of an array",
      pattern: { detail: { int: 42 } },
      message: /Value at detail\.int .*got number 42/,
    },
    {
      name: "null leaf instead of an array",
      pattern: { detail: { x: null } },
      message: /Value at detail\.x .*got null/,
    },
    { name: "empty array", pattern: { resources: [] }, message: /Empty array at resources/ },
    {
      name: "nested array as a value",
      pattern: { detail: { x: [["a"]] } },
      message: /Match value at detail\.x\[0\] .*got an array/,
    },
    {
      name: "non-JSON value (undefined)",
      pattern: { detail: { x: [undefined] } },
      message: /Match value at detail\.x\[0\]/,
    },
    {
      name: "non-finite number",
      pattern: { detail: { x: [Number.POSITIVE_INFINITY] } },
      message: /Match value at detail\.x\[0\]/,
    },
    // Content filtering operators: unknown, misspelled and malformed operators.
    {
      name: "unknown operator",
      pattern: { detail: { state: [{ foo: "x" }] } },
      message: /^Unsupported operator "foo" at detail\.state$/,
    },
    {
      name: "operators are case-sensitive",
      pattern: { detail: { equal: [{ NUMERIC: ["=", 5] }] } },
      message: /Unsupported operator "NUMERIC" at detail\.equal; .*did you mean "numeric"/,
    },
    {
      name: "exactly is not an EventBridge operator",
      pattern: { source: [{ exactly: "aws.ec2" }] },
      message: /Unsupported operator "exactly" at source/,
    },
    {
      name: "two operators in one object",
      pattern: { source: [{ prefix: "a", suffix: "b" }] },
      message: /exactly one operator, got "prefix", "suffix"/,
    },
    {
      name: "empty operator object",
      pattern: { source: [{}] },
      message: /Empty match expression \{\} at source/,
    },
    {
      name: "prefix with a number",
      pattern: { time: [{ prefix: 123 }] },
      message: /"prefix" at time must be a string .*got number 123/,
    },
    {
      name: "prefix with a list",
      pattern: { time: [{ prefix: ["2022"] }] },
      message: /"prefix" at time must be a string .*got an array/,
    },
    {
      name: "prefix with an unknown nested operator",
      pattern: { time: [{ prefix: { wildcard: "x" } }] },
      message: /"prefix" at time accepts only \{ "equals-ignore-case": string \}/,
    },
    {
      name: "prefix equals-ignore-case with a number",
      pattern: { time: [{ prefix: { "equals-ignore-case": 1 } }] },
      message: /"prefix" \/ "equals-ignore-case" at time must be a string/,
    },
    {
      name: "suffix with a list",
      pattern: { FileName: [{ suffix: [".png"] }] },
      message: /"suffix" at FileName must be a string/,
    },
    {
      name: "equals-ignore-case with a list",
      pattern: { source: [{ "equals-ignore-case": ["x"] }] },
      message: /"equals-ignore-case" at source must be a string, got an array/,
    },
    {
      name: "equals-ignore-case with an object",
      pattern: { source: [{ "equals-ignore-case": { prefix: "x" } }] },
      message: /"equals-ignore-case" at source must be a string, got an object/,
    },
    {
      name: "exists with a string",
      pattern: { source: [{ exists: "true" }] },
      message: /"exists" at source must be true or false, got string "true"/,
    },
    // Content filtering: "Wildcard matching" — consecutive stars and bad escapes are rejected.
    {
      name: "wildcard with a number",
      pattern: { arn: [{ wildcard: 123 }] },
      message: /"wildcard" at arn must be a string/,
    },
    {
      name: "wildcard with a list",
      pattern: { arn: [{ wildcard: ["a*"] }] },
      message: /"wildcard" at arn must be a string, got an array/,
    },
    {
      name: "consecutive wildcard stars",
      pattern: { arn: [{ wildcard: "arn:aws:events:us-east-1:**:event-bus/*" }] },
      message: /consecutive "\*" characters at position 25/,
    },
    {
      name: "escape of an ordinary character",
      pattern: { arn: [{ wildcard: "a\\b" }] },
      message: /invalid escape at position 1/,
    },
    {
      name: "trailing backslash",
      pattern: { arn: [{ wildcard: "abc\\" }] },
      message: /invalid escape at position 3/,
    },
    // Content filtering: "Anything-but matching" — operand shapes.
    {
      name: "anything-but null",
      pattern: { detail: { state: [{ "anything-but": null }] } },
      message: /"anything-but" at detail\.state must be a string, a number.*got null/,
    },
    {
      name: "anything-but boolean",
      pattern: { detail: { state: [{ "anything-but": true }] } },
      message: /got boolean true/,
    },
    {
      name: "anything-but list with null",
      pattern: { detail: { state: [{ "anything-but": ["stopped", null] }] } },
      message: /may only contain strings or numbers, got null at index 1/,
    },
    {
      name: "anything-but mixed list",
      pattern: { detail: { state: [{ "anything-but": ["stopped", 1] }] } },
      message: /only strings or only numbers, not both/,
    },
    {
      name: "anything-but empty list",
      pattern: { detail: { state: [{ "anything-but": [] }] } },
      message: /"anything-but" list at detail\.state must not be empty/,
    },
    {
      name: "anything-but empty prefix list",
      pattern: { detail: { state: [{ "anything-but": { prefix: [] } }] } },
      message: /"anything-but" \/ "prefix" list at detail\.state must not be empty/,
    },
    {
      name: "anything-but empty prefix",
      pattern: { detail: { state: [{ "anything-but": { prefix: "" } }] } },
      message: /"anything-but" \/ "prefix" at detail\.state must not be an empty string/,
    },
    {
      name: "anything-but suffix number",
      pattern: { detail: { f: [{ "anything-but": { suffix: 123 } }] } },
      message:
        /"anything-but" \/ "suffix" at detail\.f must be a string or a list of strings, got number 123/,
    },
    {
      name: "anything-but prefix equals-ignore-case (unsupported)",
      pattern: { detail: { f: [{ "anything-but": { prefix: { "equals-ignore-case": "x" } } }] } },
      message: /"anything-but" \/ "prefix" at detail\.f must be a string or a list of strings, got an object/,
    },
    {
      name: "anything-but numeric (unsupported)",
      pattern: { detail: { n: [{ "anything-but": { numeric: [">", 1] } }] } },
      message: /Unsupported operator "numeric" inside "anything-but" at detail\.n/,
    },
    {
      name: "anything-but with two nested operators",
      pattern: { detail: { n: [{ "anything-but": { prefix: "a", suffix: "b" } }] } },
      message: /"anything-but" object at detail\.n must have exactly one operator/,
    },
    {
      name: "anything-but equals-ignore-case with numbers",
      pattern: { detail: { n: [{ "anything-but": { "equals-ignore-case": [123, 456] } }] } },
      message:
        /"anything-but" \/ "equals-ignore-case" at detail\.n must be a string or a list of strings, got number 123/,
    },
    {
      name: "anything-but wildcard with consecutive stars",
      pattern: { detail: { n: [{ "anything-but": { wildcard: "a**" } }] } },
      message: /consecutive "\*" characters/,
    },
    // Content filtering: "Numeric matching" — operator sequences.
    {
      name: "numeric with a bare number",
      pattern: { detail: { c: [{ numeric: 10 }] } },
      message: /"numeric" at detail\.c must be an array .*got number 10/,
    },
    {
      name: "numeric empty array",
      pattern: { detail: { c: [{ numeric: [] }] } },
      message: /"numeric" at detail\.c must not be empty/,
    },
    {
      name: "numeric two lower bounds",
      pattern: { detail: { c: [{ numeric: [">", 0, ">", 0] }] } },
      message: /a lower bound \(">"\) can only be followed by an upper bound .*got ">"/,
    },
    {
      name: "numeric upper bound before lower bound",
      pattern: { detail: { c: [{ numeric: ["<", 10, ">", 0] }] } },
      message: /Too many elements in "numeric" at detail\.c: an upper bound/,
    },
    {
      name: "numeric operator without a value",
      pattern: { detail: { c: [{ numeric: [">", 0, "<"] }] } },
      message: /operator "<" at detail\.c must be followed by a number, got nothing/,
    },
    {
      name: "numeric value given as a string",
      pattern: { detail: { c: [{ numeric: ["=", "5"] }] } },
      message: /operator "=" at detail\.c must be followed by a number, got string "5"/,
    },
    {
      name: "numeric unknown operator",
      pattern: { detail: { c: [{ numeric: ["!=", 5] }] } },
      message: /Unknown numeric operator "!=" at detail\.c/,
    },
    {
      name: "numeric starting with a number",
      pattern: { detail: { c: [{ numeric: [5, "<"] }] } },
      message: /expects an operator .* at index 0, got number 5/,
    },
    {
      name: "numeric = with a second bound",
      pattern: { detail: { c: [{ numeric: ["=", 5, "<", 6] }] } },
      message: /"=" takes exactly one number/,
    },
    {
      name: "numeric empty range",
      pattern: { detail: { c: [{ numeric: [">", 5, "<", 5] }] } },
      message: /Empty numeric range at detail\.c: lower bound 5 must be less than upper bound 5/,
    },
    {
      name: "numeric range with extra terms",
      pattern: { detail: { c: [{ numeric: [">", 0, "<", 9, "<", 10] }] } },
      message: /at most one lower and one upper bound/,
    },
    // Content filtering: "IP address matching" — malformed CIDR blocks.
    {
      name: "cidr without a slash",
      pattern: { ip: [{ cidr: "bad-filter" }] },
      message: /CIDR "bad-filter" at ip must contain exactly one "\/"/,
    },
    {
      name: "cidr with a bad address",
      pattern: { ip: [{ cidr: "xx.11.xx/8" }] },
      message: /"xx\.11\.xx" is not an IPv4 or IPv6 address/,
    },
    {
      name: "cidr with a non-integer mask",
      pattern: { ip: [{ cidr: "bad-/64filter" }] },
      message: /mask bits "64filter"; they must be an integer/,
    },
    {
      name: "cidr as a list",
      pattern: { ip: [{ cidr: ["10.0.0.0/24"] }] },
      message: /"cidr" at ip must be a string, got an array/,
    },
    {
      name: "cidr mask too long for IPv4",
      pattern: { ip: [{ cidr: "10.0.0.0/33" }] },
      message: /IPv4 mask bits must be between 0 and 31/,
    },
    {
      name: "cidr /32 (AWS requires a plain value)",
      pattern: { ip: [{ cidr: "10.0.0.1/32" }] },
      message: /use it as a plain value, e\.g\. \["10\.0\.0\.1"\]/,
    },
    {
      name: "cidr /128 for IPv6",
      pattern: { ip: [{ cidr: "2001:db8::/128" }] },
      message: /IPv6 mask bits must be between 0 and 127/,
    },
    {
      name: "cidr with a bad IPv6 address",
      pattern: { ip: [{ cidr: "xxxx:db8:1234:1a00::/64" }] },
      message: /"xxxx:db8:1234:1a00::" is not an IPv4 or IPv6 address/,
    },
    {
      name: "cidr with a negative mask",
      pattern: { ip: [{ cidr: "10.0.0.0/-1" }] },
      message: /negative mask bits/,
    },
    // Content filtering: "Complex example with $or matching" and its 1000-combination limit.
    {
      name: "$or that is not an array",
      pattern: { $or: { a: ["x"] } },
      message: /"\$or" at \$or must be an array of pattern objects, got an object/,
    },
    {
      name: "$or with one alternative",
      pattern: { detail: { $or: [{ a: ["x"] }] } },
      message: /"\$or" at detail\.\$or must list at least 2 pattern objects, got 1/,
    },
    {
      name: "$or alternative that is not an object",
      pattern: { $or: [{ a: ["x"] }, ["b"]] },
      message: /"\$or" alternative at \$or\[1\] must be a pattern object, got an array/,
    },
    {
      name: "$or with an empty alternative",
      pattern: { $or: [{ a: ["x"] }, {}] },
      message: /Empty object at \$or\[1\]/,
    },
    {
      name: "reserved field name inside $or",
      pattern: { $or: [{ numeric: [123] }, { prefix: ["abc"] }] },
      message: /Field name "numeric" at \$or\[0\]\.numeric is reserved/,
    },
    {
      name: "$or expanding past 1000 combinations",
      pattern: fieldsAtLimit,
      message: /more than 1000 combinations/,
    },
  ];

  it.each(cases)("$name", ({ pattern, message }) => {
    let caught: unknown;
    try {
      compilePattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect((caught as Error).name).toBe("InvalidEventPatternException");
    expect((caught as Error).message).toMatch(message);
  });

  it("accepts reserved words as ordinary field names outside $or", () => {
    expect(matchesPattern({ detail: { prefix: ["abc"] } }, withDetail({ prefix: "abc" }))).toBe(true);
  });

  it("accepts exactly 1000 $or combinations", () => {
    const pattern = Object.fromEntries(
      ["a", "b", "c"].map((key) => [
        key,
        { $or: Array.from({ length: 10 }, (_, i) => ({ [`f${i}`]: [i] })) },
      ]),
    );
    expect(matchesPattern(pattern, { a: { f1: 1 }, b: { f2: 2 }, c: { f9: 9 } })).toBe(true);
  });
});
