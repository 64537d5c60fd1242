/**
 * Masks secret values in a RunResults with the one redactor. Deny by default: every string is free
 * text and masked (messages, log tails, failure text, test names, evidence and reasons, and any field
 * added later) except the identifiers listed here — plan/phase/service names, images, step ids,
 * statuses, gate names and thresholds, timestamps — which are structure and never touched, so a
 * secret equal to one of them (`postgres`, `test`) cannot rewrite or break the results. Keys are
 * never touched.
 */
import { makeRedactor, type Redact } from '../dsl/redactor.js';
import type { RunResults } from './results.js';

export { makeRedactor } from '../dsl/redactor.js';

/** Paths (`[]` for any array element) whose strings are identifiers, not text. */
const IDENTIFIERS = new Set([
  'version',
  'runId',
  'plan.name',
  'plan.file',
  'git.commit',
  'git.branch',
  'driver.kind',
  'driver.engine',
  'startedAt',
  'finishedAt',
  'verdict',
  'selection.phases[]',
  'selection.profiles[]',
  'selection.requested[]',
  'selection.pulledIn[].phase',
  'selection.pulledIn[].neededBy[]',
  'selection.notRun[].phase',
  'selection.notRun[].neededBy[]',
  'steps[].id',
  'steps[].kind',
  'steps[].subject',
  'steps[].forPhase',
  'steps[].status',
  'steps[].startedAt',
  'steps[].finishedAt',
  'services[].name',
  'services[].forPhase',
  'services[].image',
  'services[].status',
  'services[].exitedAt',
  'phases[].name',
  'phases[].image',
  'phases[].status',
  'phases[].artifacts[]',
  'phases[].errors[].file',
  'phases[].errors[].phase',
  'phases[].failures[].status',
  'phases[].tests[].status',
  'phases[].shards.split',
  'phases[].shards.list[].status',
  'phases[].shards.list[].artifacts[]',
  'phases[].shards.list[].services[].name',
  'phases[].shards.list[].services[].instance',
  'phases[].cache.status',
  'phases[].cache.key',
  'phases[].cache.from.runId',
  'phases[].cache.from.date',
  'phases[].cache.from.commit',
  'gates[].gate',
  'gates[].name',
  'gates[].threshold',
  'gates[].actual',
  'gates[].status',
  'acceptance[].id',
  'acceptance[].kind',
  'acceptance[].status',
]);

export function redactResults(results: RunResults, secretValues: readonly string[]): RunResults {
  if (secretValues.every((v) => v === '')) return results;
  return maskText(results, '', makeRedactor(secretValues)) as RunResults;
}

function maskText(value: unknown, path: string, redact: Redact): unknown {
  if (typeof value === 'string') return IDENTIFIERS.has(path) ? value : redact(value);
  if (Array.isArray(value)) return value.map((item) => maskText(item, `${path}[]`, redact));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskText(item, path === '' ? key : `${path}.${key}`, redact)]),
  );
}
