/**
 * The plan's runtime shape as a TypeBox schema: the single source of the validator's structural
 * rules and of the shipped JSON Schema (schema/plan.schema.json). test/dsl/schema-types.test.ts
 * proves at compile time that it matches `PlanInput` from types.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration.js';
import type { Duration, TestPatternInput } from './types.js';

/** Symbol key holding the human phrase used in "must be …" messages (never in the JSON Schema). */
export const Expect = Symbol('testplan.expect');
/** Marks a schema that only exists in TypeScript (a RegExp object) and is dropped from the JSON Schema. */
export const TypeScriptOnly = Symbol('testplan.typescript-only');

export type Described = TSchema & { [Expect]?: string; [TypeScriptOnly]?: true };

function says<T extends TSchema>(schema: T, phrase: string): T {
  return Object.assign(schema, { [Expect]: phrase });
}
const list = <T extends TSchema>(item: T, phrase: string) =>
  says(Type.Unsafe<readonly Static<T>[]>(Type.Array(item)), phrase);
const partialRecord = <T extends TSchema>(value: T, phrase: string) =>
  says(Type.Unsafe<Partial<Record<string, Static<T>>>>(Type.Record(Type.String(), value)), phrase);

/** Names of images, services and phases: they become container names and network aliases (DNS labels: at most 63 characters). */
export const MAX_NAME_LENGTH = 63;
export const NAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9_.-]{0,${MAX_NAME_LENGTH - 1}}$`;
const named = <T extends TSchema>(value: T, phrase: string) =>
  says(Type.Record(Type.String({ pattern: NAME_PATTERN }), value, { additionalProperties: false }), phrase);

const Text = says(Type.String(), 'a string');
const Strings = list(Text, 'a list of strings');
const StringMap = says(Type.Record(Type.String(), Text), 'a map of names to strings');
const DurationSchema = says(
  Type.Unsafe<Duration>(
    Type.String({ pattern: DURATION_PATTERN, description: 'A duration: 250ms, 1.5s, 30s, 5m, 1h' }),
  ),
  "a duration like '250ms', '30s', '5m' or '1h'",
);
const Count = says(Type.Integer({ minimum: 0 }), 'a whole number of 0 or more');
/** More retries than this hides a broken suite behind luck. */
export const MAX_RETRIES = 10;
const Retries = says(Type.Integer({ minimum: 0, maximum: MAX_RETRIES }), `a whole number from 0 to ${MAX_RETRIES}`);
/** More shards than this is a scheduler of its own, not a test phase. */
export const MAX_SHARDS = 64;
const ShardCount = says(
  Type.Integer({ minimum: 2, maximum: MAX_SHARDS }),
  `a whole number of shards from 2 to ${MAX_SHARDS}`,
);
const Shard = says(
  Type.Union([
    ShardCount,
    Type.Object(
      {
        count: ShardCount,
        files: Type.Optional(says(Type.String({ minLength: 1 }), "a glob of test files, e.g. 'test/**/*.test.ts'")),
      },
      { additionalProperties: false },
    ),
  ]),
  `a shard count (2 to ${MAX_SHARDS}) or { count, files: 'glob' }`,
);
const Percent = says(Type.Number({ minimum: 0, maximum: 100 }), 'a percentage from 0 to 100');
const Port = says(Type.Integer({ minimum: 1, maximum: 65535 }), 'a port number from 1 to 65535');
const ImageRefSchema = says(
  Type.String({
    description: "A key of `images`, or an external image reference ('redis:7'; without a tag it means ':latest')",
  }),
  "a key of 'images' or an external image reference, like 'redis:7'",
);
const Command = says(
  Type.Union([Type.String(), list(Type.String(), 'a list of strings')]),
  'a command: a string (run with sh -c) or a list of strings',
);

const SecretSchema = says(
  Type.Union([
    Type.Object({ secret: Text }, { additionalProperties: false }),
    Type.Object(
      { secretFromEnv: says(Type.String(), 'the name of an environment variable') },
      { additionalProperties: false },
    ),
  ]),
  "a secret: { secret: '…' } or { secretFromEnv: 'NAME' }",
);
const Env = says(
  Type.Record(
    Type.String(),
    says(
      Type.Union([Type.String(), Type.Number(), Type.Boolean(), SecretSchema]),
      'a string, number, boolean or secret',
    ),
  ),
  'a map of variable names to values',
);

const BuildImage = Type.Object(
  {
    build: Type.Object(
      {
        context: says(Type.String(), 'the build context folder, relative to the plan file'),
        dockerfile: Type.Optional(says(Type.String(), 'the Dockerfile path relative to the context')),
        target: Type.Optional(Text),
        args: Type.Optional(StringMap),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const ExistingImage = Type.Object(
  {
    ref: says(Type.String(), "an image reference with a tag, like 'redis:7'"),
    pull: Type.Optional(
      says(
        Type.Union([Type.Literal('never'), Type.Literal('missing'), Type.Literal('always')]),
        "'never', 'missing' or 'always'",
      ),
    ),
  },
  { additionalProperties: false },
);
const Image = says(
  Type.Union([BuildImage, ExistingImage]),
  "an image: { build: { context: '.' } } or { ref: 'name:tag' }",
);

const timing = {
  interval: Type.Optional(DurationSchema),
  timeout: Type.Optional(DurationSchema),
  retries: Type.Optional(Count),
};
const probe = <P extends Record<string, TSchema>>(props: P) =>
  Type.Object({ ...timing, ...props }, { additionalProperties: false });
const ReadyProbe = says(
  Type.Union([
    probe({ exec: Command, expect: Type.Optional(says(Type.String(), 'a regular expression')) }),
    probe({ tcp: Type.Object({ port: Port }, { additionalProperties: false }) }),
    probe({
      http: Type.Object(
        {
          port: Port,
          path: Type.Optional(Text),
          status: Type.Optional(says(Type.Integer({ minimum: 100, maximum: 599 }), 'an HTTP status from 100 to 599')),
        },
        { additionalProperties: false },
      ),
    }),
    probe({
      log: says(
        Type.Union([
          Type.String(),
          Type.Object(
            {
              pattern: says(Type.String(), 'a regular expression'),
              times: Type.Optional(says(Type.Integer({ minimum: 1 }), 'a whole number of 1 or more')),
            },
            { additionalProperties: false },
          ),
        ]),
        "a regular expression, or { pattern: '…', times: N }",
      ),
    }),
    probe({
      preset: Type.Literal('postgres'),
      user: Type.Optional(Text),
      database: Type.Optional(Text),
      port: Type.Optional(Port),
    }),
    probe({ preset: Type.Literal('redis'), port: Type.Optional(Port) }),
  ]),
  "a ready probe: one of exec, tcp, http, log or preset ('postgres' | 'redis')",
);

const Mount = Type.Object(
  {
    source: says(Type.String(), 'a host path relative to the plan file'),
    target: says(Type.String(), 'an absolute container path'),
    readOnly: Type.Optional(says(Type.Boolean(), 'true or false')),
  },
  { additionalProperties: false },
);
const SetupCommands = list(
  Command,
  "a list of commands: strings (run with sh -c) or lists of strings, e.g. ['createdb app']",
);

const Service = Type.Object(
  {
    image: ImageRefSchema,
    command: Type.Optional(Command),
    env: Type.Optional(Env),
    ports: Type.Optional(list(Port, 'a list of port numbers')),
    ready: Type.Optional(ReadyProbe),
    dependsOn: Type.Optional(list(says(Type.String(), 'a service name'), 'a list of service names')),
    profiles: Type.Optional(Strings),
    mounts: Type.Optional(list(Mount, 'a list of mounts')),
    setup: Type.Optional(SetupCommands),
    setupTimeout: Type.Optional(DurationSchema),
    scope: Type.Optional(says(Type.Union([Type.Literal('run'), Type.Literal('phase')]), "'run' or 'phase'")),
    exclusive: Type.Optional(says(Type.Boolean(), 'true or false')),
    local: Type.Optional(
      Type.Object(
        { command: says(Type.String(), 'a shell command'), env: Type.Optional(Env) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const TextResults = says(
  Type.Object(
    {
      preset: Type.Optional(
        says(
          Type.Union([
            Type.Literal('mocha'),
            Type.Literal('pytest'),
            Type.Literal('go'),
            Type.Literal('cargo'),
            Type.Literal('per-file'),
          ]),
          "'mocha', 'pytest', 'go', 'cargo' or 'per-file'",
        ),
      ),
      pass: Type.Optional(says(Type.String(), 'a regular expression')),
      fail: Type.Optional(says(Type.String(), 'a regular expression')),
      skip: Type.Optional(says(Type.String(), 'a regular expression')),
      file: Type.Optional(says(Type.String(), 'a regular expression')),
      source: Type.Optional(says(Type.String(), "'output' or an absolute container path")),
    },
    { additionalProperties: false },
  ),
  "test lines to match: { preset: 'pytest' } or { pass: '^ok (.+)', fail: '^FAIL (.+)' }",
);
const Results = says(
  Type.Union([
    Type.Object({ junit: Text }, { additionalProperties: false }),
    Type.Object({ tap: Text }, { additionalProperties: false }),
    Type.Object({ text: TextResults }, { additionalProperties: false }),
  ]),
  "a results file: { junit: '/out/junit.xml' }, { tap: '/out/results.tap' } or what the runner prints: { text: { preset: 'pytest' } }",
);
const CoverageFormatSchema = says(
  Type.Union([
    Type.Literal('lcov'),
    Type.Literal('cobertura'),
    Type.Literal('istanbul-summary'),
    Type.Literal('istanbul-final'),
  ]),
  "'lcov', 'cobertura', 'istanbul-summary' or 'istanbul-final'",
);
const Coverage = Type.Object(
  { format: CoverageFormatSchema, path: Text, pathMap: Type.Optional(StringMap) },
  { additionalProperties: false },
);

const Phase = Type.Object(
  {
    image: ImageRefSchema,
    run: Command,
    env: Type.Optional(Env),
    workdir: Type.Optional(Text),
    mounts: Type.Optional(list(Mount, 'a list of mounts')),
    services: Type.Optional(list(says(Type.String(), 'a service name'), 'a list of service names')),
    localhost: Type.Optional(says(Type.Boolean(), 'true or false')),
    needs: Type.Optional(list(says(Type.String(), 'a phase name'), 'a list of phase names')),
    after: Type.Optional(list(says(Type.String(), 'a phase name'), 'a list of phase names')),
    timeout: Type.Optional(DurationSchema),
    retries: Type.Optional(Retries),
    results: Type.Optional(Results),
    coverage: Type.Optional(Coverage),
    artifacts: Type.Optional(Strings),
    profiles: Type.Optional(Strings),
    local: Type.Optional(
      Type.Object({ run: Type.Optional(Text), workdir: Type.Optional(Text) }, { additionalProperties: false }),
    ),
    shard: Type.Optional(Shard),
    cache: Type.Optional(says(Type.Boolean(), 'true or false')),
  },
  { additionalProperties: false },
);

const thresholds = {
  lines: Type.Optional(Percent),
  branches: Type.Optional(Percent),
  functions: Type.Optional(Percent),
  statements: Type.Optional(Percent),
  include: Type.Optional(list(Text, 'a list of globs of the files the gate counts, e.g. src/**')),
  exclude: Type.Optional(list(Text, 'a list of globs of the files the gate leaves out')),
};
const Thresholds = Type.Object(thresholds, { additionalProperties: false });
const ChangedLines = Type.Object(
  {
    lines: Percent,
    base: says(Type.String({ minLength: 1, pattern: '^[^-]' }), "a git ref, e.g. 'origin/main' (not starting with -)"),
    include: thresholds.include,
    exclude: thresholds.exclude,
  },
  { additionalProperties: false },
);
const CommandCheck = Type.Object(
  { image: ImageRefSchema, run: Command, env: Type.Optional(Env), timeout: Type.Optional(DurationSchema) },
  { additionalProperties: false },
);

const Gates = Type.Object(
  {
    coverage: Type.Optional(
      Type.Object(
        {
          ...thresholds,
          phases: Type.Optional(partialRecord(Thresholds, 'a map of phase names to thresholds')),
          changed: Type.Optional(ChangedLines),
        },
        { additionalProperties: false },
      ),
    ),
    tests: Type.Optional(
      Type.Object({ failed: Type.Optional(Count), minExecuted: Type.Optional(Count) }, { additionalProperties: false }),
    ),
    duration: Type.Optional(
      Type.Object(
        {
          max: Type.Optional(DurationSchema),
          phases: Type.Optional(partialRecord(DurationSchema, 'a map of phase names to durations')),
        },
        { additionalProperties: false },
      ),
    ),
    commands: Type.Optional(says(Type.Record(Type.String(), CommandCheck), 'a map of gate names to commands')),
  },
  { additionalProperties: false },
);

const RegExpObject = Object.assign(Type.Unsafe<RegExp>({}), { [TypeScriptOnly]: true as const });
const TestPattern = says(
  Type.Unsafe<TestPatternInput>(Type.Union([Type.String(), RegExpObject])),
  'a regular expression (a string in YAML)',
);

const Criterion = Type.Object(
  {
    id: says(Type.String({ minLength: 1 }), "an id like 'FR-1'"),
    requirement: Text,
    kind: Type.Optional(
      says(
        Type.Union([Type.Literal('functional'), Type.Literal('non-functional')]),
        "'functional' or 'non-functional'",
      ),
    ),
    verifiedBy: says(
      Type.Object(
        {
          phases: Type.Optional(list(says(Type.String(), 'a phase name'), 'a list of phase names')),
          tests: Type.Optional(TestPattern),
          gates: Type.Optional(list(says(Type.String(), 'a gate name'), 'a list of gate names')),
          command: Type.Optional(CommandCheck),
        },
        { additionalProperties: false },
      ),
      'the evidence that verifies it: { phases, tests, gates or command }',
    ),
  },
  { additionalProperties: false },
);

export const PlanSchema = Type.Object(
  {
    name: says(Type.String({ minLength: 1 }), 'the plan name'),
    description: Type.Optional(Text),
    concurrency: Type.Optional(says(Type.Integer({ minimum: 1 }), 'a whole number of 1 or more')),
    images: Type.Optional(named(Image, 'a map of image names to images')),
    services: Type.Optional(named(Service, 'a map of service names to services')),
    phases: named(Phase, 'a map of phase names to phases'),
    gates: Type.Optional(Gates),
    acceptance: Type.Optional(list(Criterion, 'a list of acceptance criteria')),
  },
  { additionalProperties: false, title: 'Testplan plan' },
);

export type PlanSchemaType = Static<typeof PlanSchema>;

function stripTypeScriptOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((item) => !(item as Described)[TypeScriptOnly]).map(stripTypeScriptOnly);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const phrase = (node as Described)[Expect];
  if (phrase !== undefined && !('description' in node)) out['description'] = `Must be ${phrase}.`;
  for (const [key, value] of Object.entries(node)) out[key] = stripTypeScriptOnly(value);
  const anyOf = out['anyOf'];
  if (Array.isArray(anyOf) && anyOf.length === 1) {
    delete out['anyOf'];
    Object.assign(out, anyOf[0]);
  }
  return out;
}

/** The JSON Schema for YAML editors, as written to schema/plan.schema.json. */
export function planJsonSchema(): string {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...(stripTypeScriptOnly(PlanSchema) as object) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
