/**
 * An aggregated JUnit XML for CI systems: one testsuite per phase with its cases, then
 * `testplan.services`, `testplan.gates` and `testplan.acceptance`, where anything that did not
 * pass is a failure (or an error, when there was no evidence to judge or it never came; `not-selected`
 * is skipped). The root `<testsuites>` counts real test cases only, the same figures as the report's
 * Tests line: the synthetic suites carry their own counts and never inflate the total.
 */
import type { TestCase } from '../../evidence/types.js';
import type { PhaseResult, RunResults } from '../results.js';
import { attrs, seconds, xmlText } from './xml.js';

type Outcome =
  | { readonly kind: 'failure' | 'error' | 'skipped'; readonly message: string; readonly body?: string }
  | undefined;

interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly file?: string;
  readonly durationMs?: number;
  readonly outcome: Outcome;
}

interface JunitSuite {
  readonly name: string;
  readonly durationMs?: number;
  readonly cases: readonly JunitCase[];
  readonly systemOut?: readonly string[];
}

export function renderJunit(results: RunResults): string {
  const suites = [
    ...results.phases.map(phaseSuite),
    ...servicesSuite(results),
    gatesSuite(results),
    acceptanceSuite(results),
  ];
  const real = results.tests;
  const head = attrs({
    name: results.plan.name,
    tests: real.total,
    failures: real.failed,
    errors: real.errored,
    skipped: real.skipped,
    time: seconds(results.durationMs),
    timestamp: results.startedAt,
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${head}>`,
    ...suites.map(renderSuite),
    '</testsuites>',
    '',
  ].join('\n');
}

function phaseSuite(phase: PhaseResult): JunitSuite {
  const cases = phase.tests.map(testCase);
  // A phase that failed without a failing case (exit code, timeout, unreadable results) still shows as red.
  const explained = cases.some((c) => c.outcome?.kind === 'failure' || c.outcome?.kind === 'error');
  const extra: JunitCase[] = [];
  if (!explained && (phase.status === 'failed' || phase.status === 'error' || phase.status === 'cancelled')) {
    const last = phase.attempts[phase.attempts.length - 1];
    const reason = phase.message ?? (last?.timedOut ? 'timed out' : last ? `exit code ${last.exitCode}` : phase.status);
    const errors = phase.errors.map((e) => `${e.file}: ${e.message}`);
    extra.push({
      classname: `testplan.phase.${phase.name}`,
      name: `phase ${phase.name}`,
      durationMs: phase.durationMs,
      outcome: {
        kind: phase.status === 'failed' ? 'failure' : 'error',
        message: reason,
        body: [...errors, ...phase.logTail].join('\n'),
      },
    });
  }
  const u = phase.unlisted;
  const note = u
    ? [
        `testplan: ${u.total} more tests of phase ${phase.name} (${u.passed} passed, ${u.failed + u.errored} failed, ${u.skipped} skipped) are counted, not listed; the full list is in phases/${phase.name}/`,
      ]
    : [];
  return {
    name: phase.name,
    durationMs: phase.durationMs,
    cases: [...cases, ...extra],
    systemOut: [...note, ...phase.logTail],
  };
}

function testCase(test: TestCase): JunitCase {
  const message = test.message ?? '';
  const outcome: Outcome =
    test.status === 'failed'
      ? { kind: 'failure', message, ...(test.details ? { body: test.details } : {}) }
      : test.status === 'error'
        ? { kind: 'error', message, ...(test.details ? { body: test.details } : {}) }
        : test.status === 'skipped'
          ? { kind: 'skipped', message }
          : undefined;
  return {
    classname: test.suite,
    name: test.name,
    ...(test.file ? { file: test.file } : {}),
    durationMs: test.durationMs,
    outcome,
  };
}

function servicesSuite(results: RunResults): JunitSuite[] {
  if (results.services.length === 0) return [];
  const cases = results.services.map(
    (s): JunitCase => ({
      classname: 'testplan.services',
      name: `${s.name} ready`,
      ...(s.readyMs !== undefined ? { durationMs: s.readyMs } : {}),
      outcome:
        s.status === 'ready' || s.status === 'started'
          ? undefined
          : s.status === 'not-ready' || s.status === 'exited'
            ? {
                kind: 'error',
                message: s.message ?? `service ${s.name} never became ready`,
                body: s.logTail.join('\n'),
              }
            : { kind: 'skipped', message: s.message ?? 'not started' },
    }),
  );
  return [{ name: 'testplan.services', cases }];
}

function gatesSuite(results: RunResults): JunitSuite {
  const cases = results.gates.map((g): JunitCase => {
    const summary = `${g.name}: ${g.actual} (threshold ${g.threshold})${g.message ? ` — ${g.message}` : ''}`;
    return {
      classname: `testplan.gates.${g.gate}`,
      name: g.name,
      outcome: verdictOutcome(g.status, summary),
    };
  });
  return { name: 'testplan.gates', cases };
}

function acceptanceSuite(results: RunResults): JunitSuite {
  const cases = results.acceptance.map((c): JunitCase => {
    const evidence = c.evidence.length > 0 ? c.evidence.join('\n') : 'no matching evidence';
    const message = `${c.id} ${c.status}: ${c.requirement}`;
    return {
      classname: `testplan.acceptance.${c.kind}`,
      name: `${c.id}: ${c.requirement}`,
      outcome: verdictOutcome(c.status, c.reason ? `${message} — ${c.reason}` : message, evidence),
    };
  });
  return { name: 'testplan.acceptance', cases };
}

/** A gate or criterion status as a case outcome: not-selected is skipped, never a pass and never red. */
function verdictOutcome(status: string, message: string, body?: string): Outcome {
  if (status === 'pass') return undefined;
  const kind =
    status === 'not-selected' ? 'skipped' : status === 'fail' || status === 'unverified' ? 'failure' : 'error';
  return { kind, message, ...(body !== undefined && kind !== 'skipped' ? { body } : {}) };
}

function renderSuite(suite: JunitSuite): string {
  const head = attrs({
    name: suite.name,
    tests: suite.cases.length,
    failures: count(suite.cases, 'failure'),
    errors: count(suite.cases, 'error'),
    skipped: count(suite.cases, 'skipped'),
    time: seconds(suite.durationMs ?? suite.cases.reduce((sum, c) => sum + (c.durationMs ?? 0), 0)),
  });
  const lines = [`  <testsuite${head}>`, ...suite.cases.map(renderCase)];
  if (suite.systemOut && suite.systemOut.length > 0)
    lines.push(`    <system-out>${xmlText(suite.systemOut.join('\n'))}</system-out>`);
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function renderCase(c: JunitCase): string {
  const head = attrs({ classname: c.classname, name: c.name, file: c.file, time: seconds(c.durationMs) });
  if (!c.outcome) return `    <testcase${head}/>`;
  const outcome = c.outcome;
  const inner = outcome.body
    ? `<${outcome.kind}${attrs({ message: outcome.message })}>${xmlText(outcome.body)}</${outcome.kind}>`
    : `<${outcome.kind}${attrs({ message: outcome.message })}/>`;
  return `    <testcase${head}>\n      ${inner}\n    </testcase>`;
}

function count(cases: readonly JunitCase[], kind: 'failure' | 'error' | 'skipped'): number {
  return cases.filter((c) => c.outcome?.kind === kind).length;
}
