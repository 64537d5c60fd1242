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

const StepTiming = Type.Object({
  id: Str,
  kind: Str,
  /** The image, service, phase or check the step acts on; absent for the network steps. Never parsed out of `id`. */
  subject: Type.Optional(Str),
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
  cache: Type.Optional(PhaseCache),
});

const ServiceResult = Type.Object({
  name: Str,
  image: Str,
  status: literals(['ready', 'started', 'not-ready', 'exited', 'not-started']),
  readyMs: Type.Optional(Num),
  probes: Type.Optional(Num),
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

export const TestCaseSchema = TestCase;
export const StepTimingSchema = StepTiming;
export const PhaseAttemptSchema = PhaseAttempt;
export const PhaseResultSchema = PhaseResult;
export const PhaseCacheSchema = PhaseCache;
export const ServiceResultSchema = ServiceResult;

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
  selection: Type.Object({ phases: Strings, profiles: Strings }),
  steps: Type.Array(StepTiming),
  services: Type.Array(ServiceResult),
  phases: Type.Array(PhaseResult),
  tests: TestCounts,
  coverage: Type.Optional(CoverageSummary),
  gates: Type.Array(GateResult),
  acceptance: Type.Array(CriterionResult),
  warnings: Type.Optional(Strings),
});
