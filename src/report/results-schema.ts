/**
 * The schema of results.json (version 1): the one source of its TypeScript types (results.ts derives
 * them with `Static`) and the runtime check with which `plan report results.json` tells the user exactly
 * which field of a hand-edited or foreign file is wrong. Extra fields are allowed: additive changes keep
 * the version.
 */
import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';
import { EXIT } from '../errors.js';

export const RESULTS_VERSION = 1;

const Str = Type.String();
const Num = Type.Number();
const Strings = Type.Array(Str);
function literals<const T extends string[]>(values: T): TUnion<{ [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{ [K in keyof T]: TLiteral<T[K]> }>;
}

const TestCounts = Type.Object({ total: Num, passed: Num, failed: Num, errored: Num, skipped: Num });

const TestCase = Type.Object({
  suite: Str,
  name: Str,
  file: Type.Optional(Str),
  status: literals(['passed', 'failed', 'error', 'skipped']),
  durationMs: Num,
  message: Type.Optional(Str),
  details: Type.Optional(Str),
});

const MetricSummary = Type.Object({ covered: Num, total: Num, pct: Type.Union([Num, Type.Null()]) });
const CoverageSummary = Type.Object({
  lines: MetricSummary,
  branches: MetricSummary,
  functions: MetricSummary,
  statements: MetricSummary,
});

const EvidenceError = Type.Object({ file: Str, phase: Type.Optional(Str), message: Str });

const NeededPhase = Type.Object({ phase: Str, neededBy: Strings });

const StepTiming = Type.Object({
  id: Str,
  kind: Str,
  /** The image, service, phase or check the step acts on; absent for the network steps. Never parsed out of `id`. */
  subject: Type.Optional(Str),
  /** The phase owning the service instance a service step acts on (`scope: 'phase'`). */
  forPhase: Type.Optional(Str),
  status: literals(['passed', 'failed', 'skipped', 'cancelled']),
  startedAt: Type.Optional(Str),
  finishedAt: Type.Optional(Str),
  durationMs: Type.Optional(Num),
  message: Type.Optional(Str),
});

const PhaseAttempt = Type.Object({
  attempt: Num,
  exitCode: Type.Union([Num, Type.Null()]),
  timedOut: Type.Boolean(),
  durationMs: Num,
});

const ShardResult = Type.Object({
  /** From 1. */
  index: Num,
  status: literals(['passed', 'failed', 'error', 'skipped', 'cancelled']),
  /** The shard's wall time: every attempt, its own services' start not included. */
  durationMs: Num,
  attempts: Type.Array(PhaseAttempt),
  counts: Type.Optional(TestCounts),
  /** The files it was given (`shard.files`). */
  files: Type.Optional(Strings),
  /** Estimated milliseconds per file (its share of the shard's time): what the next run balances by. */
  fileMs: Type.Optional(Type.Record(Str, Num)),
  /** Its own service instances: `<service>--<phase>-s<index>`. */
  services: Type.Array(
    Type.Object({ name: Str, instance: Str, readyMs: Type.Optional(Num), message: Type.Optional(Str) }),
  ),
  artifacts: Strings,
  logTail: Strings,
  message: Type.Optional(Str),
});

const PhaseShards = Type.Object({
  /** The count the plan asked for; fewer ran when fewer files matched. */
  requested: Num,
  /** How the files were split: by the last run's `duration`s, by `size`, or by the `runner` itself (`shard: N`). */
  split: literals(['duration', 'size', 'runner']),
  list: Type.Array(ShardResult),
});

/** How the phase cache treated a phase (src/cache): restored (`hit`), ran and stored, ran (`miss`), or `off`. */
const PhaseCache = Type.Object({
  status: literals(['hit', 'stored', 'miss', 'off']),
  key: Type.Optional(Str),
  /** With `hit`: the run whose result was restored. */
  from: Type.Optional(
    Type.Object({ runId: Str, date: Str, commit: Type.Optional(Str), dirty: Type.Optional(Type.Boolean()) }),
  ),
  /** Why it was not reused or stored. */
  reason: Type.Optional(Str),
});

const PhaseResult = Type.Object({
  name: Str,
  image: Str,
  status: literals(['passed', 'failed', 'error', 'skipped', 'cancelled']),
  attempts: Type.Array(PhaseAttempt),
  durationMs: Num,
  counts: Type.Optional(TestCounts),
  failures: Type.Array(TestCase),
  tests: Type.Array(TestCase),
  coverage: Type.Optional(CoverageSummary),
  artifacts: Strings,
  logTail: Strings,
  /** Error-looking lines of the last attempt's whole output (at most 20, then a count). */
  errorLines: Type.Optional(Strings),
  errors: Type.Array(EvidenceError),
  message: Type.Optional(Str),
  /** Passing and skipped cases counted but not listed in `tests` (a phase with more than MAX_LISTED_TESTS cases). */
  unlisted: Type.Optional(TestCounts),
  /** A sharded phase: each shard's outcome (the phase's counts, cases and coverage are theirs merged). */
  shards: Type.Optional(PhaseShards),
  cache: Type.Optional(PhaseCache),
});

const ServiceResult = Type.Object({
  name: Str,
  /** Set for a phase's own instance of a `scope: 'phase'` service: the phase it served. */
  forPhase: Type.Optional(Str),
  image: Str,
  status: literals(['ready', 'started', 'not-ready', 'exited', 'not-started']),
  readyMs: Type.Optional(Num),
  probes: Type.Optional(Num),
  /** Its `setup` commands, when it has any and they ran: how long they took, how many ran, whether all passed. */
  setup: Type.Optional(Type.Object({ durationMs: Num, commands: Num, ran: Num, passed: Type.Boolean() })),
  exitCode: Type.Optional(Type.Union([Num, Type.Null()])),
  exitedAt: Type.Optional(Str),
  logTail: Strings,
  message: Type.Optional(Str),
});

const GateResult = Type.Object({
  gate: Str,
  name: Str,
  threshold: Str,
  actual: Str,
  status: literals(['pass', 'fail', 'error', 'not-run', 'not-selected']),
  message: Type.Optional(Str),
  /** A gate the user did not write (per-phase `executed ≥ 1`). */
  implicit: Type.Optional(Type.Boolean()),
});

const CriterionResult = Type.Object({
  id: Str,
  requirement: Str,
  kind: literals(['functional', 'non-functional']),
  status: literals(['pass', 'fail', 'unverified', 'error', 'not-run', 'not-selected']),
  evidence: Strings,
  reason: Type.Optional(Str),
});

const ChangedFile = Type.Object({
  path: Str,
  from: Type.Optional(Str),
  changed: Num,
  executable: Num,
  covered: Num,
  uncovered: Strings,
  /** Uncovered ranges beyond the 50 listed. */
  unlistedRanges: Type.Optional(Num),
  noRecord: Type.Optional(Type.Boolean()),
  untracked: Type.Optional(Type.Boolean()),
});

/** `gates.coverage.changed`: the changed files with their changed-line coverage (most uncovered first). */
const ChangedLines = Type.Object({
  base: Str,
  mergeBase: Str,
  executable: Num,
  covered: Num,
  files: Type.Array(ChangedFile),
  unlistedFiles: Type.Optional(Num),
  notCounted: Strings,
  unlistedNotCounted: Type.Optional(Num),
  notes: Type.Optional(Strings),
});

const StatusChange = Type.Object({
  kind: literals(['gate', 'criterion']),
  name: Str,
  /** `absent` when the gate or criterion exists on one side only. */
  before: Str,
  after: Str,
});
const TestRef = Type.Object({ phase: Str, test: Str, message: Type.Optional(Str) });
const TestDiff = Type.Object({ count: Num, listed: Type.Array(TestRef) });
const CoverageDelta = Type.Object({
  path: Str,
  before: Type.Union([Num, Type.Null()]),
  after: Type.Union([Num, Type.Null()]),
  /** Percentage points; null when one side has no figure. */
  delta: Type.Union([Num, Type.Null()]),
});

/** `plan run --baseline` / `plan report --compare`: what changed since another run of the plan. */
const Baseline = Type.Object({
  runId: Str,
  startedAt: Str,
  plan: Str,
  git: Type.Optional(Type.Object({ commit: Str, dirty: Type.Boolean(), branch: Type.Optional(Str) })),
  /** How it was chosen: `previous run on branch main`, `--baseline <arg>`, a file. */
  chosenBy: Str,
  newFailures: TestDiff,
  fixed: TestDiff,
  added: TestDiff,
  removed: TestDiff,
  flaky: Type.Object({
    /** How many stored runs (this one included) verdict flips were looked for in. */
    window: Num,
    retried: Type.Array(Type.Object({ phase: Str, attempts: Num })),
    flipping: Type.Array(Type.Object({ phase: Str, test: Str, outcomes: Str })),
    flippingCount: Num,
  }),
  coverage: Type.Optional(Type.Object({ lines: CoverageDelta, files: Type.Array(CoverageDelta), changedFiles: Num })),
  durations: Type.Array(Type.Object({ phase: Str, beforeMs: Num, afterMs: Num, deltaMs: Num })),
  statusChanges: Type.Array(StatusChange),
  notes: Strings,
});

/** Per-file line coverage of the merged coverage, for comparisons between runs. */
const CoverageFile = Type.Object({ path: Str, covered: Num, total: Num });

export const TestCaseSchema = TestCase;
export const StepTimingSchema = StepTiming;
export const PhaseAttemptSchema = PhaseAttempt;
export const PhaseResultSchema = PhaseResult;
export const PhaseShardsSchema = PhaseShards;
export const PhaseCacheSchema = PhaseCache;
export const ServiceResultSchema = ServiceResult;
export const BaselineSchema = Baseline;

export const RunResultsSchema = Type.Object({
  version: Type.Literal(RESULTS_VERSION),
  plan: Type.Object({ name: Str, file: Str, description: Type.Optional(Str) }),
  runId: Str,
  git: Type.Optional(Type.Object({ commit: Str, dirty: Type.Boolean(), branch: Type.Optional(Str) })),
  driver: Type.Object({ kind: Str, engine: Str }),
  startedAt: Str,
  finishedAt: Str,
  durationMs: Num,
  verdict: literals(['passed', 'failed', 'error', 'interrupted']),
  exitCode: Type.Union(Object.values(EXIT).map((code) => Type.Literal(code))) as unknown as TUnion<
    TLiteral<(typeof EXIT)[keyof typeof EXIT]>[]
  >,
  message: Type.Optional(Str),
  selection: Type.Object({
    phases: Strings,
    profiles: Strings,
    /** The phases `--phase` named. */
    requested: Type.Optional(Strings),
    /** Phases that ran only because a selected phase needs them. */
    pulledIn: Type.Optional(Type.Array(NeededPhase)),
    /** With `--no-needs`: needs that were not run (counted as satisfied). */
    notRun: Type.Optional(Type.Array(NeededPhase)),
  }),
  steps: Type.Array(StepTiming),
  services: Type.Array(ServiceResult),
  phases: Type.Array(PhaseResult),
  tests: TestCounts,
  coverage: Type.Optional(CoverageSummary),
  gates: Type.Array(GateResult),
  changedLines: Type.Optional(ChangedLines),
  coverageFiles: Type.Optional(Type.Array(CoverageFile)),
  baseline: Type.Optional(Baseline),
  acceptance: Type.Array(CriterionResult),
  warnings: Type.Optional(Strings),
});
