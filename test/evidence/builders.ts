/** Small builders for gate and criterion inputs: each test states only what it is about. */
import type { GatesSpec } from '../../src/dsl/plan.js';
import type { PhaseEvidence } from '../../src/evidence/evidence-input.js';
import { CaseList } from '../../src/evidence/case-list.js';
import { countCases } from '../../src/evidence/test-counts.js';
import type { CoverageReport, TestCase, TestStatus } from '../../src/evidence/types.js';

export function gatesSpec(overrides: Partial<GatesSpec> = {}): GatesSpec {
  return { phaseCoverage: {}, commands: {}, ...overrides };
}

export function cases(spec: Partial<Record<TestStatus, number>>, prefix = 'test'): TestCase[] {
  const out: TestCase[] = [];
  for (const status of ['passed', 'failed', 'error', 'skipped'] as const) {
    for (let i = 0; i < (spec[status] ?? 0); i++)
      out.push({ suite: 'suite', name: `${prefix}_${status}_${i}`, status, durationMs: 1 });
  }
  return out;
}

export function testsOk(list: readonly TestCase[]): NonNullable<PhaseEvidence['tests']> {
  return { ok: true, value: { format: 'junit', cases: CaseList.of(list), counts: countCases(list) } };
}

/** Coverage with `covered` of `total` lines hit in one file (and optional branches). */
export function coverageOk(
  path: string,
  covered: number,
  total: number,
  branches?: [number, number],
): NonNullable<PhaseEvidence['coverage']> {
  const lines: Record<number, number> = {};
  for (let i = 1; i <= total; i++) lines[i] = i <= covered ? 1 : 0;
  const b: Record<string, number> = {};
  if (branches) for (let i = 0; i < branches[1]; i++) b[`1:${i}`] = i < branches[0] ? 1 : 0;
  const report: CoverageReport = { format: 'lcov', files: [{ path, lines, branches: b, functions: {} }] };
  return { ok: true, value: report };
}

export function missing(
  file: string,
  phase: string,
): { ok: false; error: { file: string; phase: string; message: string } } {
  return {
    ok: false,
    error: { file, phase, message: 'the JUnit XML file was not written: check that the phase writes it' },
  };
}

export function phase(name: string, rest: Partial<PhaseEvidence> = {}): PhaseEvidence {
  return { name, status: 'passed', durationMs: 1000, ...rest };
}
