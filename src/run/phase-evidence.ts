/** Reads what each phase left behind (test results, coverage) into per-phase evidence. */
import type { PhaseSpec } from '../dsl/plan.js';
import {
  readCoverage,
  readTestReport,
  readTextResults,
  type CoverageReport,
  type EvidenceResult,
  type PhaseEvidence,
  type PhaseRunStatus,
  type TestReport,
} from '../evidence/index.js';
import type { CollectedFile } from '../drivers/driver.js';
import type { StepRecord } from '../execute/scheduler.js';
import type { PhaseState } from '../execute/run-state.js';
import type { PhaseShards } from '../report/results.js';

/** What a file the attempt did not write says about it. */
export function staleMessage(source: string): string {
  return `${source} was not written by this phase (it predates the phase start)`;
}

/**
 * The host path a container file was copied to, or the evidence error saying why there is none.
 * Evidence counts only when the attempt that ran last wrote it: a file baked into the image or
 * left by an earlier attempt or run is an error, never a pass.
 */
function locate(
  phase: PhaseSpec,
  source: string,
  files: readonly CollectedFile[],
  key: 'results' | 'coverage',
): string | EvidenceResult<never> {
  const file = files.find((f) => f.source === source);
  if (file?.path && file.writtenByPhase !== false) return file.path;
  const why = file?.path ? staleMessage(source) : (file?.error ?? `${source} was not copied out of the container`);
  return { ok: false, error: { file: source, phase: phase.name, message: `${why} (phases.${phase.name}.${key})` } };
}

/**
 * One headline for a non-zero exit: with every test read passing, the runner failed on its own (its
 * coverage threshold, a crash after the tests), which the report then quotes from its error lines.
 */
function exitMessage(exitCode: number | null, tests: EvidenceResult<TestReport> | undefined): string {
  const base = `exited with code ${exitCode}`;
  if (!tests?.ok) return base;
  const c = tests.value.counts;
  if (c.failed + c.errored > 0) return base;
  return `${base} with 0 failing tests (${c.passed} passed): the runner failed on its own, e.g. its coverage threshold or a crash after the tests`;
}

export interface PhaseFindings extends PhaseEvidence {
  readonly message?: string;
  /** A sharded phase: its shards' block for results.json (run/shard-evidence.ts). */
  readonly shards?: PhaseShards;
}

export async function readPhaseEvidence(
  spec: PhaseSpec,
  step: StepRecord | undefined,
  state: PhaseState | undefined,
  /** Results read from the phase's own output (`results: { text }` without a file), when it has them. */
  fromOutput?: EvidenceResult<TestReport>,
): Promise<PhaseFindings> {
  const attempts = state?.attempts ?? [];
  const last = attempts.at(-1);
  const declares = { results: spec.results !== undefined, coverage: spec.coverage !== undefined };
  if (!last) {
    const status: PhaseRunStatus =
      step?.status === 'cancelled' ? 'cancelled' : step?.status === 'failed' ? 'error' : 'skipped';
    return { name: spec.name, status, declares, ...(step?.message ? { message: step.message } : {}) };
  }
  const durationMs = attempts.reduce((sum, a) => sum + a.durationMs, 0);
  const files = state?.collected ?? [];
  let tests: EvidenceResult<TestReport> | undefined;
  const results = spec.results;
  if (results?.format === 'text' && results.path === undefined) {
    tests = fromOutput ?? {
      ok: false,
      error: {
        file: '(output)',
        phase: spec.name,
        message: `the phase's output was not seen (phases.${spec.name}.results)`,
      },
    };
  } else if (results?.path !== undefined) {
    const found = locate(spec, results.path, files, 'results');
    if (typeof found !== 'string') tests = found;
    else if (results.format === 'text')
      tests = await readTextResults(found, results.text, spec.name, { exitCode: last.exitCode });
    else tests = await readTestReport(found, results.format, spec.name);
  }
  let coverage: EvidenceResult<CoverageReport> | undefined;
  if (spec.coverage) {
    const found = locate(spec, spec.coverage.path, files, 'coverage');
    coverage =
      typeof found === 'string'
        ? await readCoverage(found, spec.coverage.format, spec.name, spec.coverage.pathMap)
        : found;
  }

  let status: PhaseRunStatus = 'passed';
  let message: string | undefined;
  if (last.aborted) {
    status = 'cancelled';
  } else if (last.timedOut || last.exitCode !== 0) {
    status = 'failed';
    message = last.timedOut ? `timed out after ${spec.timeoutMs} ms` : exitMessage(last.exitCode, tests);
  } else if (tests && !tests.ok) {
    status = 'error';
    message = tests.error.message;
  } else if (coverage && !coverage.ok && coverage.error.message.startsWith(staleMessage(spec.coverage!.path))) {
    status = 'error';
    message = coverage.error.message;
  } else if (tests?.ok) {
    const c = tests.value.counts;
    if (c.failed + c.errored > 0) {
      status = 'failed';
      message = `${c.failed + c.errored} test(s) failed although the command exited 0`;
    } else if (c.total - c.skipped === 0) {
      status = 'failed';
      message = 'the phase ran zero tests: no evidence is not a pass';
    }
  }
  if (attempts.length > 1 && status === 'passed') message = `passed on attempt ${attempts.length}`;
  return {
    name: spec.name,
    status,
    declares,
    durationMs,
    ...(tests ? { tests } : {}),
    ...(coverage ? { coverage } : {}),
    ...(message ? { message } : {}),
  };
}
