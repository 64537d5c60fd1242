/** Turns what the executor recorded and the evidence files into results.json: the single source of every report. */
import path from 'node:path';
import type { StepGraph } from '../compile/graph.js';
import type { ImageUse, TestPlan } from '../dsl/plan.js';
import type { DriverInfo, DriverKind, RunIdentity } from '../drivers/driver.js';
import type { InfrastructureError } from '../errors.js';
import {
  countCases,
  evaluateCriteria,
  evaluateGates,
  mergeCoverage,
  coverageMergeWarnings,
  summarize,
  type CheckOutcome,
  type CoverageReport,
  type TestCase,
} from '../evidence/index.js';
import type { ExecutionRecord } from '../execute/execute-plan.js';
import type { StepRecord } from '../execute/scheduler.js';
import { RESULTS_VERSION, type PhaseResult, type RunResults, type ServiceResult, type StepTiming, type Verdict } from '../report/results.js';
import type { GitInfo } from './git-info.js';
import type { OutputResults } from './output-results.js';
import { readPhaseEvidence, type PhaseFindings } from './phase-evidence.js';

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
  return {
    id: record.step.id,
    kind: record.step.kind,
    status,
    ...(record.startedAt !== undefined ? { startedAt: iso(record.startedAt) } : {}),
    ...(record.finishedAt !== undefined ? { finishedAt: iso(record.finishedAt) } : {}),
    ...(record.startedAt !== undefined && record.finishedAt !== undefined ? { durationMs: record.finishedAt - record.startedAt } : {}),
    ...(record.message ? { message: record.message } : {}),
  };
}

function header(input: Common, driver: { kind: string; engine: string }) {
  return {
    version: RESULTS_VERSION,
    plan: { name: input.plan.name, file: input.plan.file, ...(input.plan.description ? { description: input.plan.description } : {}) },
    runId: input.run.runId,
    ...(input.git ? { git: input.git } : {}),
    driver,
    startedAt: iso(input.startedAt),
    finishedAt: iso(input.finishedAt),
    durationMs: input.finishedAt - input.startedAt,
    selection: { phases: input.graph.phases, profiles: input.graph.profiles },
  } as const;
}

const noTests = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };

/** The engine did not answer: nothing ran, but the run still leaves a report saying why (exit 3). */
export function engineFailureResults(input: Common & { readonly driver: DriverKind; readonly error: InfrastructureError }): RunResults {
  return {
    ...header(input, { kind: input.driver, engine: 'unreachable' }),
    verdict: 'error',
    exitCode: 3,
    message: input.error.message,
    steps: [],
    services: [],
    phases: input.graph.phases.map((name) => emptyPhase(input.plan, name, 'skipped')),
    tests: noTests,
    gates: [],
    acceptance: [],
  };
}

function emptyPhase(plan: TestPlan, name: string, status: PhaseResult['status'], message?: string): PhaseResult {
  return { name, image: imageLabel(plan.phases[name]!.image), status, attempts: [], durationMs: 0, failures: [], tests: [], artifacts: [], logTail: [], errors: [], ...(message ? { message } : {}) };
}

type StepsById = ReadonlyMap<string, StepRecord>;

function serviceResults(input: Common, record: ExecutionRecord, steps: StepsById): ServiceResult[] {
  return input.graph.services.map((name) => {
    const state = record.state.services.get(name);
    const ready = state?.ready;
    const status: ServiceResult['status'] = !state?.handle ? 'not-started' : ready && !ready.ready ? 'not-ready' : 'ready';
    // Why it is not ready: the message of the step that stopped it (starting, or waiting for readiness).
    const stoppedBy = status === 'not-ready' ? steps.get(`wait-ready:${name}`) : steps.get(`start-service:${name}`);
    const message = status === 'ready' ? undefined : (stoppedBy?.message ?? (status === 'not-ready' ? 'not ready' : undefined));
    return {
      name,
      image: imageLabel(input.plan.services[name]!.image),
      status,
      ...(ready?.ready ? { readyMs: ready.elapsedMs, probes: ready.probes } : {}),
      logTail: state?.logTail ?? [],
      ...(message ? { message } : {}),
    };
  });
}

function phaseResult(input: Common, record: ExecutionRecord, findings: PhaseFindings): PhaseResult {
  const state = record.state.phases.get(findings.name);
  const cases: readonly TestCase[] = findings.tests?.ok ? findings.tests.value.cases : [];
  const errors = [findings.tests, findings.coverage].flatMap((r) => (r && !r.ok ? [r.error] : []));
  return {
    ...emptyPhase(input.plan, findings.name, findings.status, findings.message),
    attempts: (state?.attempts ?? []).map(({ attempt, exitCode, timedOut, durationMs }) => ({ attempt, exitCode, timedOut, durationMs })),
    durationMs: findings.durationMs ?? 0,
    ...(findings.tests?.ok ? { counts: findings.tests.value.counts } : {}),
    failures: cases.filter((c) => c.status === 'failed' || c.status === 'error'),
    tests: cases,
    ...(findings.coverage?.ok ? { coverage: summarize(findings.coverage.value) } : {}),
    artifacts: (state?.collected ?? []).flatMap((f) => (f.path ? [path.relative(input.run.outDir, f.path)] : [])),
    logTail: state?.attempts.at(-1)?.logTail ?? [],
    errors,
  };
}

function checkOutcomes(plan: TestPlan, record: ExecutionRecord, steps: StepsById): Record<string, CheckOutcome> {
  const outcomes: Record<string, CheckOutcome> = {};
  for (const name of Object.keys(plan.checks)) {
    const state = record.state.checks.get(name);
    const step = steps.get(`run-check:${name}`);
    outcomes[name] = state
      ? state.timedOut
        ? { error: `timed out` }
        : { exitCode: state.exitCode ?? -1 }
      : { error: `did not run (${step?.message ?? step?.status ?? 'not selected'})` };
  }
  return outcomes;
}

function verdictOf(record: ExecutionRecord, phases: readonly PhaseResult[], results: Pick<RunResults, 'gates' | 'acceptance'>): { verdict: Verdict; exitCode: RunResults['exitCode']; message?: string } {
  if (record.interrupted) return { verdict: 'interrupted', exitCode: 130, message: 'the run was interrupted; what it learned until then is below' };
  const infra = record.state.infraError;
  if (infra) return { verdict: 'error', exitCode: 3, message: infra.message };
  const failed =
    phases.some((p) => p.status !== 'passed') ||
    results.gates.some((g) => g.status !== 'pass') ||
    results.acceptance.some((c) => c.status !== 'pass');
  return failed ? { verdict: 'failed', exitCode: 1 } : { verdict: 'passed', exitCode: 0 };
}

export async function buildResults(
  input: Common & { readonly info: DriverInfo; readonly record: ExecutionRecord; readonly outputResults?: OutputResults },
): Promise<RunResults> {
  const { plan, graph, record } = input;
  const stepById = new Map(record.steps.map((s) => [s.step.id, s]));
  const findings = await Promise.all(
    graph.phases.map((name) =>
      readPhaseEvidence(plan.phases[name]!, stepById.get(`run-phase:${name}`), record.state.phases.get(name), input.outputResults?.result(name)),
    ),
  );
  const checks = checkOutcomes(plan, record, stepById);
  const gates = evaluateGates({ gates: plan.gates, phases: findings, totalDurationMs: input.finishedAt - input.startedAt, checks });
  const acceptance = evaluateCriteria(plan.acceptance, { phases: findings, gates, checks });
  const phases = findings.map((f) => phaseResult(input, record, f));
  const coverageReports: CoverageReport[] = findings.flatMap((f) => (f.coverage?.ok ? [f.coverage.value] : []));
  const warnings = evidenceWarnings(plan, findings);
  const { verdict, exitCode, message } = verdictOf(record, phases, { gates, acceptance });
  return {
    ...header(input, { kind: input.info.kind, engine: input.info.engine }),
    verdict,
    exitCode,
    ...(message ? { message } : {}),
    steps: record.steps.map(stepTiming),
    services: serviceResults(input, record, stepById),
    phases,
    tests: countCases(phases.flatMap((p) => p.tests)),
    ...(coverageReports.length ? { coverage: summarize(mergeCoverage(coverageReports)) } : {}),
    gates,
    acceptance,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
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
