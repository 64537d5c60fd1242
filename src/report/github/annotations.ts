/** `::error` annotations for everything that did not pass, and log groups for phases and services. */
import { formatDuration } from '../format-duration.js';
import { testLabel } from '../../evidence/format.js';
import type { RunResults } from '../results.js';
import { annotation, groupLines, type GroupOptions } from './workflow-commands.js';

/** Failing tests beyond this are summed up in one annotation (GitHub shows few per step anyway). */
export const MAX_TEST_ANNOTATIONS = 20;
const MAX_DETAIL_LINES = 10;

export function renderAnnotations(results: RunResults): string[] {
  const out: string[] = [];
  if (results.verdict === 'error' || results.verdict === 'interrupted') {
    const what = results.verdict === 'error' ? 'Run error' : 'Run interrupted';
    out.push(annotation('error', results.message ?? `the run ended with ${results.verdict}`, { title: what }));
  }
  for (const s of results.services.filter((s) => s.status === 'not-ready' || s.status === 'exited')) {
    out.push(
      annotation('error', s.message ?? `service ${s.name} (${s.image}) never became ready`, {
        title: `Service ${s.name} ${s.status === 'exited' ? 'exited' : 'not ready'}`,
      }),
    );
  }
  for (const p of results.phases.filter((p) => p.status === 'failed' || p.status === 'error')) {
    const attempts = p.attempts.length > 1 ? ` after ${p.attempts.length} attempts` : '';
    const message = [
      p.message ?? `phase ${p.name} ${p.status}`,
      ...p.errors.map((e) => `${e.file}: ${e.message}`),
    ].join('\n');
    out.push(annotation('error', message, { title: `Phase ${p.name} ${p.status}${attempts}` }));
  }
  out.push(...testAnnotations(results));
  // not-selected is neutral: the selection left that evidence out on purpose.
  for (const g of results.gates.filter((g) => g.status !== 'pass' && g.status !== 'not-selected')) {
    const message = `${g.actual} (threshold ${g.threshold})${g.message ? ` — ${g.message}` : ''}`;
    const what = g.status === 'fail' ? 'failed' : g.status === 'not-run' ? 'not run' : 'could not be evaluated';
    out.push(annotation('error', message, { title: `Gate ${g.name} ${what}` }));
  }
  for (const c of results.acceptance.filter((c) => c.status !== 'pass' && c.status !== 'not-selected')) {
    const shown = c.evidence.slice(0, MAX_ANNOTATION_EVIDENCE);
    const more = c.evidence.length - shown.length;
    const evidence =
      c.evidence.length > 0
        ? [...shown, ...(more > 0 ? [`… ${more} more lines in results.json`] : [])].join('\n')
        : 'no matching evidence';
    const reason = c.reason ? `${c.reason}\n` : '';
    out.push(
      annotation('error', `${c.requirement}\n${reason}${evidence}`, {
        title: `Criterion ${c.id} ${c.status.replace('-', ' ')}`,
      }),
    );
  }
  return out;
}

/** Evidence lines an annotation quotes; results.json has them all. */
const MAX_ANNOTATION_EVIDENCE = 8;

function testAnnotations(results: RunResults): string[] {
  const failing = results.phases.flatMap((p) => p.failures.map((test) => ({ phase: p.name, test })));
  const shown = failing.slice(0, MAX_TEST_ANNOTATIONS).map(({ phase, test }) => {
    const details = test.details ? test.details.split('\n').slice(0, MAX_DETAIL_LINES) : [];
    const message = [test.message ?? `${test.status}`, ...details].join('\n');
    const verb = test.status === 'error' ? 'errored' : 'failed';
    return annotation('error', message, { file: test.file, title: `Test ${verb} in ${phase}: ${testLabel(test)}` });
  });
  const rest = failing.length - shown.length;
  if (rest > 0)
    shown.push(
      annotation('error', `${rest} more failing tests: see the report`, { title: `${failing.length} failing tests` }),
    );
  return shown;
}

/** One `::group::` per phase and service log tail, in run order. */
export function renderLogGroups(results: RunResults, options: GroupOptions = {}): string[] {
  const lines: string[] = [];
  for (const s of results.services.filter((s) => s.logTail.length > 0)) {
    const ready = s.readyMs !== undefined ? `, ready in ${formatDuration(s.readyMs)}` : '';
    lines.push(...groupLines(`service ${s.name} (${s.status}${ready})`, s.logTail, options));
  }
  for (const p of results.phases.filter((p) => p.logTail.length > 0)) {
    lines.push(...groupLines(`phase ${p.name} (${p.status}, ${formatDuration(p.durationMs)})`, p.logTail, options));
  }
  return lines;
}
