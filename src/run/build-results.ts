/** Turns what the executor recorded and the evidence files into results.json: the single source of every report. */
import path from 'node:path';
import { stepId, stepOwner, stepSubject } from '../compile/compile.js';
import { instanceKey } from '../compile/service-instances.js';
import type { StepGraph } from '../compile/graph.js';
import type { ImageUse, TestPlan } from '../dsl/plan.js';
import type { DriverInfo, DriverKind, RunIdentity } from '../drivers/driver.js';
import type { InfrastructureError } from '../errors.js';
import {
  CaseList,
  countCases,
  NO_TESTS,
  sumCounts,
  evaluateCriteria,
  evaluateGates,
  judgeableEvidence,
  mergeCoverage,
  coverageMergeWarnings,
  summarize,
  changedLinesOutcome,
  type ChangeSetResult,
  type CheckOutcome,
  type RunScope,
  type CoverageReport,
  type TestCase,
  type TestCounts,
} from '../evidence/index.js';
import type { ExecutionRecord } from '../execute/execute-plan.js';
import type { StepRecord } from '../execute/scheduler.js';
import {
  RESULTS_VERSION,
  type PhaseResult,
  type RunResults,
  type ServiceResult,
  type StepTiming,
} from '../report/results.js';
import { decideVerdict, VERDICT_EXIT } from '../report/verdict.js';
import type { GitInfo } from './git-info.js';
import type { OutputResults } from './output-results.js';
import { changedLinesResults } from './changed-lines-results.js';
import { readPhaseEvidence, type PhaseFindings } from './phase-evidence.js';
import { readShardedPhaseEvidence, shardedPhaseOutput } from './shard-evidence.js';

interface Common {
  readonly plan: TestPlan;
  readonly graph: StepGraph;
  readonly run: RunIdentity;
  readonly git: GitInfo | undefined;
  readonly startedAt: number;
  readonly finishedAt: number;
}

const imageLabel = (use: ImageUse): string => (use.kind === 'plan' ? use.name : use.ref);
const iso = (ms: number): string => new Date(ms).toISOString();

function stepTiming(record: StepRecord): StepTiming {
  const status = record.status === 'pending' || record.status === 'running' ? 'cancelled' : record.status;
  const subject = stepSubject(record.step);
  const forPhase = stepOwner(record.step);
  return {
    id: record.step.id,
    kind: record.step.kind,
    ...(subject !== undefined ? { subject } : {}),
    ...(forPhase !== undefined ? { forPhase } : {}),
    status,
    ...(record.startedAt !== undefined ? { startedAt: iso(record.startedAt) } : {}),
    ...(record.finishedAt !== undefined ? { finishedAt: iso(record.finishedAt) } : {}),
    ...(record.startedAt !== undefined && record.finishedAt !== undefined
      ? { durationMs: record.finishedAt - record.startedAt }
      : {}),
    ...(record.message ? { message: record.message } : {}),
  };
}

function header(input: Common, driver: { kind: string; engine: string }) {
  return {
    version: RESULTS_VERSION,
    plan: {
      name: input.plan.name,
      file: input.plan.file,
      ...(input.plan.description ? { description: input.plan.description } : {}),
    },
    runId: input.run.runId,
    ...(input.git ? { git: input.git } : {}),
    driver,
    startedAt: iso(input.startedAt),
    finishedAt: iso(input.finishedAt),
    durationMs: input.finishedAt - input.startedAt,
    selection: selectionResult(input.graph),
  } as const;
}

/** What ran and why: the phases, and how `--phase` chose them (needs pulled in, needs left out). */
function selectionResult(graph: StepGraph): RunResults['selection'] {
  const { requested, pulledIn, notRun } = graph.selection;
  return {
    phases: graph.phases,
    profiles: graph.profiles,
    ...(requested.length ? { requested } : {}),
    ...(pulledIn.length ? { pulledIn } : {}),
    ...(notRun.length ? { notRun } : {}),
  };
}

/** The engine did not answer: nothing ran, but the run still leaves a report saying why (exit 3). */
export function engineFailureResults(
  input: Common & { readonly driver: DriverKind; readonly error: InfrastructureError },
): RunResults {
  return {
    ...header(input, { kind: input.driver, engine: 'unreachable' }),
    verdict: 'error',
    exitCode: VERDICT_EXIT.error,
    message: input.error.message,
    steps: [],
    services: [],
    phases: input.graph.phases.map((name) => emptyPhase(input.plan, name, 'skipped')),
    tests: NO_TESTS,
    gates: [],
    acceptance: [],
  };
}

function emptyPhase(plan: TestPlan, name: string, status: PhaseResult['status'], message?: string): PhaseResult {
  return {
    name,
    image: imageLabel(plan.phases[name]!.image),
    status,
    attempts: [],
    durationMs: 0,
    failures: [],
    tests: [],
    artifacts: [],
    logTail: [],
    errors: [],
    ...(message ? { message } : {}),
  };
}

type StepsById = ReadonlyMap<string, StepRecord>;

/** Ready only when a probe said so; a service started without a probe is only "started". */
function serviceStatus(
  started: boolean,
  exited: boolean,
  hasProbe: boolean,
  probedReady: boolean,
): ServiceResult['status'] {
  if (!started) return 'not-started';
  if (exited) return 'exited';
  if (!hasProbe) return 'started';
  return probedReady ? 'ready' : 'not-ready';
}

function serviceMessage(
  status: ServiceResult['status'],
  diedWhileUsed: { readonly exitCode: number | null; readonly at?: string | undefined } | undefined,
  stepMessage: string | undefined,
): string | undefined {
  if (status === 'ready') return undefined;
  if (status === 'started') return 'started (no probe)';
  if (diedWhileUsed) {
    return `exited with code ${diedWhileUsed.exitCode ?? 'unknown'} at ${diedWhileUsed.at ?? 'an unknown time'} while a phase that uses it was running`;
  }
  return stepMessage ?? (status === 'not-ready' ? 'not ready: readiness was never checked' : undefined);
}

function serviceResults(input: Common, record: ExecutionRecord, steps: StepsById): ServiceResult[] {
  return input.graph.instances.map((instance) => {
    const name = instance.service;
    const state = record.state.services.get(instanceKey(instance));
    const ready = state?.ready;
    const exitedEarly =
      ready && !ready.ready && ready.reason === 'exited'
        ? { exitCode: ready.exitCode ?? null, at: ready.exitedAt }
        : undefined;
    const exit = state?.exit ?? exitedEarly;
    const spec = input.plan.services[name]!;
    const setup = state?.setup;
    const probed = serviceStatus(
      Boolean(state?.handle),
      exit !== undefined,
      spec.ready !== undefined,
      ready?.ready === true,
    );
    // A service whose setup failed is not ready, whatever its probe said.
    const setupFailed = setup !== undefined && !setup.ok && (probed === 'ready' || probed === 'started');
    const status = setupFailed ? 'not-ready' : probed;
    // Why: the message of the step that stopped it (starting, waiting for readiness, setup), or how it died.
    const stoppedBy = setupFailed
      ? steps.get(stepId.setup(instance))
      : status === 'not-ready' || exitedEarly
        ? steps.get(stepId.ready(instance))
        : steps.get(stepId.start(instance));
    const message = serviceMessage(status, exit && !exitedEarly ? exit : undefined, stoppedBy?.message);
    return {
      name,
      ...(instance.forPhase !== undefined ? { forPhase: instance.forPhase } : {}),
      image: imageLabel(spec.image),
      status,
      ...(ready?.ready ? { readyMs: ready.elapsedMs, probes: ready.probes } : {}),
      ...(setup
        ? { setup: { durationMs: setup.durationMs, commands: spec.setup.length, ran: setup.ran, passed: setup.ok } }
        : {}),
      ...(exit ? { exitCode: exit.exitCode, ...(exit.at ? { exitedAt: exit.at } : {}) } : {}),
      logTail: state?.logTail ?? [],
      ...(message ? { message } : {}),
    };
  });
}

/** A phase with more cases than this lists only its failures; the rest are counted (the phase's own report has them all). */
export const MAX_LISTED_TESTS = 10_000;
/** Failures listed with their detail per phase; more are counted. */
export const MAX_LISTED_FAILURES = 1_000;

/**
 * The cases results.json lists for a phase: every case (failures with their detail, passing and skipped
 * ones without) up to MAX_LISTED_TESTS; above it only failures, so that results.json stays small for
 * a million cases. Criteria saw every parsed case before this.
 */
function listedCases(cases: CaseList): { failures: TestCase[]; tests: TestCase[]; unlisted?: TestCounts } {
  const failures: TestCase[] = [];
  let failing = 0;
  for (let i = 0; i < cases.length; i++) {
    const status = cases.statusAt(i);
    if (status !== 'failed' && status !== 'error') continue;
    failing++;
    if (failures.length < MAX_LISTED_FAILURES) failures.push(bounded(cases.at(i)!));
  }
  if (cases.length <= MAX_LISTED_TESTS && failing === failures.length) {
    const tests = [...cases].map((c) =>
      c.status === 'failed' || c.status === 'error' ? bounded(c) : bounded(withoutDetails(c)),
    );
    return { failures, tests };
  }
  const all = cases.counts();
  const listed = countCases(failures);
  const unlisted = {
    total: all.total - listed.total,
    passed: all.passed,
    failed: all.failed - listed.failed,
    errored: all.errored - listed.errored,
    skipped: all.skipped,
  };
  return { failures, tests: failures, unlisted };
}

/** Longest name, suite, file or message a listed case keeps (details are capped by the parsers). */
export const MAX_CASE_TEXT = 2_000;

const cut = (text: string): string => (text.length > MAX_CASE_TEXT ? `${text.slice(0, MAX_CASE_TEXT)}… (cut)` : text);

function bounded(c: TestCase): TestCase {
  const long =
    c.name.length > MAX_CASE_TEXT ||
    c.suite.length > MAX_CASE_TEXT ||
    (c.file?.length ?? 0) > MAX_CASE_TEXT ||
    (c.message?.length ?? 0) > MAX_CASE_TEXT;
  if (!long) return c;
  return {
    ...c,
    name: cut(c.name),
    suite: cut(c.suite),
    ...(c.file !== undefined ? { file: cut(c.file) } : {}),
    ...(c.message !== undefined ? { message: cut(c.message) } : {}),
  };
}

function withoutDetails({ details: _details, ...rest }: TestCase): TestCase {
  return rest;
}

function phaseResult(input: Common, record: ExecutionRecord, findings: PhaseFindings): PhaseResult {
  const state = record.state.phases.get(findings.name);
  const cases = findings.tests?.ok ? findings.tests.value.cases : new CaseList();
  const errors = [findings.tests, findings.coverage].flatMap((r) => (r && !r.ok ? [r.error] : []));
  return {
    ...emptyPhase(input.plan, findings.name, findings.status, findings.message),
    attempts: (state?.attempts ?? []).map(({ attempt, exitCode, timedOut, durationMs }) => ({
      attempt,
      exitCode,
      timedOut,
      durationMs,
    })),
    durationMs: findings.durationMs ?? 0,
    ...(findings.tests?.ok ? { counts: findings.tests.value.counts } : {}),
    ...listedCases(cases),
    ...(findings.coverage?.ok ? { coverage: summarize(findings.coverage.value) } : {}),
    artifacts: (state?.collected ?? []).flatMap((f) => (f.path ? [path.relative(input.run.outDir, f.path)] : [])),
    logTail: state?.attempts.at(-1)?.logTail ?? [],
    ...(state?.attempts.at(-1)?.errorLines?.length ? { errorLines: state.attempts.at(-1)!.errorLines! } : {}),
    errors,
    ...(findings.shards ? { shards: findings.shards, ...shardedPhaseOutput(findings.shards) } : {}),
  };
}

function checkOutcomes(plan: TestPlan, record: ExecutionRecord, steps: StepsById): Record<string, CheckOutcome> {
  const outcomes: Record<string, CheckOutcome> = {};
  for (const name of Object.keys(plan.checks)) {
    const state = record.state.checks.get(name);
    const step = steps.get(stepId.check(name));
    outcomes[name] = state
      ? state.timedOut
        ? { error: `timed out` }
        : { exitCode: state.exitCode ?? -1 }
      : { error: `did not run (${step?.message ?? step?.status ?? 'not selected'})` };
  }
  return outcomes;
}

export async function buildResults(
  input: Common & {
    readonly info: DriverInfo;
    readonly record: ExecutionRecord;
    readonly outputResults?: OutputResults;
    /** What git said changed, for `gates.coverage.changed`. */
    readonly changes?: ChangeSetResult;
  },
): Promise<RunResults> {
  const { plan, graph, record } = input;
  const stepById = new Map(record.steps.map((s) => [s.step.id, s]));
  const findings = await Promise.all(
    graph.phases.map((name) =>
      plan.phases[name]!.shard
        ? readShardedPhaseEvidence(
            plan.phases[name]!,
            stepById.get(stepId.phase(name)),
            record.state.phases.get(name),
            input.run.outDir,
          )
        : readPhaseEvidence(
            plan.phases[name]!,
            stepById.get(stepId.phase(name)),
            record.state.phases.get(name),
            input.outputResults?.result(name),
          ),
    ),
  );
  const checks = checkOutcomes(plan, record, stepById);
  const infra = record.state.infraError;
  const scope = runScope(
    plan,
    graph,
    record.interrupted ? 'interrupted' : infra ? 'infrastructure failure' : undefined,
  );
  const judged = findings.map(judgeableEvidence);
  const gateInput = {
    gates: plan.gates,
    phases: judged,
    totalDurationMs: input.finishedAt - input.startedAt,
    checks,
    ...scope,
    ...(input.changes ? { changes: input.changes } : {}),
    planDir: plan.dir,
  };
  const gates = evaluateGates(gateInput);
  const changedLines = changedLinesOutcome(gateInput)?.report;
  const acceptance = evaluateCriteria(plan.acceptance, { phases: judged, gates, checks, ...scope });
  const phases = findings.map((f) => phaseResult(input, record, f));
  const coverageReports: CoverageReport[] = findings.flatMap((f) => (f.coverage?.ok ? [f.coverage.value] : []));
  const { verdict, exitCode, message } = decideVerdict({
    interrupted: record.interrupted,
    ...(infra ? { infrastructureError: infra.message } : {}),
    phases,
    gates,
    acceptance,
  });
  const warnings = evidenceWarnings(plan, findings);
  return {
    ...header(input, { kind: input.info.kind, engine: input.info.engine }),
    verdict,
    exitCode,
    ...(message ? { message } : {}),
    steps: record.steps.map(stepTiming),
    services: serviceResults(input, record, stepById),
    phases,
    tests: sumCounts(phases.flatMap((p) => (p.counts ? [p.counts] : []))),
    ...(coverageReports.length ? coverageOfRun(mergeCoverage(coverageReports)) : {}),
    gates,
    ...(changedLines ? { changedLines: changedLinesResults(changedLines) } : {}),
    acceptance,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Files listed with their line coverage in results.json (for comparisons between runs); more are left out. */
export const MAX_COVERAGE_FILES = 10_000;

function coverageOfRun(merged: CoverageReport): Pick<RunResults, 'coverage' | 'coverageFiles'> {
  const coverageFiles = merged.files.slice(0, MAX_COVERAGE_FILES).flatMap((f) => {
    const lines = Object.values(f.lines);
    return lines.length === 0
      ? []
      : [{ path: f.path, covered: lines.filter((h) => h > 0).length, total: lines.length }];
  });
  return { coverage: summarize(merged), coverageFiles };
}

/** The plan phases `--phase` left out, and why the run stopped early (when it did), for gates and criteria. */
export function runScope(plan: TestPlan, graph: Pick<StepGraph, 'phases'>, stopped: string | undefined): RunScope {
  const selected = new Set(graph.phases);
  const unselected = Object.values(plan.phases)
    .filter((p) => !selected.has(p.name))
    .map((p) => ({ name: p.name, results: p.results !== undefined, coverage: p.coverage !== undefined }));
  return { unselected, ...(stopped !== undefined ? { stopped } : {}) };
}

/** Each phase's parser warnings, then the doubts about merging their coverage. */
function evidenceWarnings(plan: TestPlan, findings: readonly PhaseFindings[]): string[] {
  const own = findings.flatMap((f) =>
    [f.tests, f.coverage].flatMap((r) => (r?.ok ? (r.value.warnings ?? []) : [])).map((w) => `phase ${f.name}: ${w}`),
  );
  const merged = coverageMergeWarnings(
    findings.flatMap((f) => {
      if (!f.coverage?.ok) return [];
      const spec = plan.phases[f.name];
      const base = spec?.workdir;
      return [{ phase: f.name, report: f.coverage.value, ...(base ? { base } : {}) }];
    }),
  );
  return [...own, ...merged];
}
