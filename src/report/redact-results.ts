/**
 * Masks secret values in the free text of a RunResults (messages, log tails, failure text, test names
 * and evidence lines that come from tools' output) with the one redactor. Keys, plan/phase/service
 * names, images, step ids and the plan name are structure and never touched: a secret equal to one
 * of them (`postgres`, `test`) cannot rewrite or break the results.
 */
import { makeRedactor, type Redact } from '../dsl/redactor.js';
import type { TestCase } from '../evidence/types.js';
import type { PhaseResult, RunResults, ServiceResult } from './results.js';

export { makeRedactor } from '../dsl/redactor.js';

export function redactResults(results: RunResults, secretValues: readonly string[]): RunResults {
  if (secretValues.every((v) => v === '')) return results;
  const redact = makeRedactor(secretValues);
  const message = <T extends { readonly message?: string }>(o: T): T => (o.message === undefined ? o : { ...o, message: redact(o.message) });
  return {
    ...message(results),
    steps: results.steps.map(message),
    services: results.services.map((s): ServiceResult => ({ ...message(s), logTail: s.logTail.map(redact) })),
    phases: results.phases.map((p) => redactPhase(p, redact)),
    gates: results.gates.map(message),
    acceptance: results.acceptance.map((c) => ({ ...c, evidence: c.evidence.map(redact), ...(c.reason !== undefined ? { reason: redact(c.reason) } : {}) })),
    ...(results.warnings ? { warnings: results.warnings.map(redact) } : {}),
  };
}

function redactPhase(phase: PhaseResult, redact: Redact): PhaseResult {
  const testCase = (c: TestCase): TestCase => ({
    ...c,
    suite: redact(c.suite),
    name: redact(c.name),
    ...(c.file !== undefined ? { file: redact(c.file) } : {}),
    ...(c.message !== undefined ? { message: redact(c.message) } : {}),
    ...(c.details !== undefined ? { details: redact(c.details) } : {}),
  });
  return {
    ...phase,
    ...(phase.message !== undefined ? { message: redact(phase.message) } : {}),
    failures: phase.failures.map(testCase),
    tests: phase.tests.map(testCase),
    logTail: phase.logTail.map(redact),
    ...(phase.errorLines ? { errorLines: phase.errorLines.map(redact) } : {}),
    errors: phase.errors.map((e) => ({ ...e, message: redact(e.message) })),
  };
}
