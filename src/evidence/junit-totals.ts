/**
 * The totals a `<testsuite>`/`<testsuites>` declares (`tests`, `failures`, `errors`, `skipped`) checked
 * against the cases it holds. The direction that could hide a failure is an error: more failures or
 * more executed tests declared than the file shows (cut short, edited, damaged). The other direction is
 * what real tools write (mocha's xunit leaves hooks out of `tests`, jest-junit its todos, mocha under
 * load repeats a case): exact duplicates beyond the declared count collapse with a warning, the rest
 * is accepted as the cases say.
 */
import { MalformedEvidence } from './result.js';
import type { CaseList } from './case-list.js';
import type { TestCase } from './types.js';

export interface DeclaredTotals {
  readonly tests?: number;
  readonly failures?: number;
  readonly errors?: number;
  readonly skipped?: number;
  /**
   * tap's JUnit reporter: the number of `<testcase>`s it wrote. Its `tests` also counts each subtest's
   * own test point (a suite with 3 assertions says `tests="4"`), so `assertions` is the count to hold it to.
   */
  readonly assertions?: number;
}

export function readDeclaredTotals(label: string, attributes: Readonly<Record<string, unknown>>): DeclaredTotals {
  const totals: Record<string, number> = {};
  for (const key of ['tests', 'failures', 'errors', 'skipped', 'assertions'] as const) {
    const value = attributes[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const text = value.trim().replace(/,/g, '');
    if (!/^\d{1,15}$/.test(text))
      throw new MalformedEvidence(
        `${label} has ${key}="${value.slice(0, 40)}", not a whole number: the report is damaged`,
      );
    totals[key] = Number(text);
  }
  return totals;
}

export interface SuiteScope {
  readonly label: string;
  readonly declared: DeclaredTotals;
  /** Index in `cases` of the first case inside this suite. */
  readonly start: number;
  /** The root element: a missing `skipped` there means none. */
  readonly isRoot: boolean;
}

/**
 * Checks one suite when it closes; its cases are `cases[scope.start..]`. May remove exact duplicates
 * from that range (in place). `alsoFailed`: skipped cases the tool also counted as failures (node's
 * failing todo).
 */
export function checkSuiteTotals(
  scope: SuiteScope,
  cases: CaseList,
  alsoFailed: ReadonlySet<TestCase>,
  warnings: string[],
): void {
  const { label, start } = scope;
  const declared =
    scope.declared.assertions === undefined ? scope.declared : { ...scope.declared, tests: scope.declared.assertions };
  const total = cases.length - start;
  if (declared.tests !== undefined && total > declared.tests) {
    const removed = collapseDuplicates(cases, start, total - declared.tests);
    if (removed > 0) {
      warnings.push(
        `${label}: ${removed} duplicate test case${removed === 1 ? '' : 's'} collapsed (the file holds ${total} where its header says ${declared.tests}; some runners repeat a case under load)`,
      );
    }
  }
  let failing = 0;
  let skipped = 0;
  for (let i = start; i < cases.length; i++) {
    const status = cases.statusAt(i);
    if (status === 'failed' || status === 'error') failing++;
    else if (status === 'skipped') {
      skipped++;
      if (alsoFailed.size > 0 && alsoFailed.has(cases.at(i)!)) failing++;
    }
  }
  const declaredFailing = (declared.failures ?? 0) + (declared.errors ?? 0);
  // tap's `failures` also counts each failing subtest's own end: it can only promise that one is there.
  const tapReport = scope.declared.assertions !== undefined;
  if (tapReport ? declaredFailing > 0 && failing === 0 : declaredFailing > failing) {
    throw new MalformedEvidence(
      `${label} declares ${declaredFailing} failure${declaredFailing === 1 ? '' : 's'}/errors but holds ${failing} failing test case${failing === 1 ? '' : 's'}: ` +
        (tapReport
          ? 'a failure outside any test case (tap writes a test file that crashed before its tests as "no tests found")'
          : 'the report is damaged or was cut short'),
    );
  }
  if (declared.tests === undefined || failing > 0) return;
  // With a failure (a `before all` hook) the tests it stopped are declared but never written.
  const held = cases.length - start;
  if (declared.skipped !== undefined) {
    const declaredRan = declared.tests - declared.skipped;
    if (declaredRan > held - skipped) {
      throw new MalformedEvidence(
        `${label} declares ${declared.tests} tests (${declared.skipped} skipped) but holds ${held - skipped} that ran: the report is damaged or was cut short`,
      );
    }
  } else if (scope.isRoot && declared.tests > held) {
    // jest-junit's root has no skipped= but counts skipped tests in tests=; mocha-junit-reporter's
    // suites have none either and leave pending tests out: only the root is held to its count.
    throw new MalformedEvidence(
      `${label} declares ${declared.tests} tests but holds ${held}: the report is damaged or was cut short`,
    );
  }
}

/** Removes up to `max` later copies of cases identical in every field but duration; returns how many. */
function collapseDuplicates(cases: CaseList, start: number, max: number): number {
  const seen = new Set<string>();
  let removed = 0;
  cases.removeWhere(start, (i) => {
    const c: TestCase = cases.at(i)!;
    const key = JSON.stringify([c.suite, c.name, c.file, c.status, c.message, c.details]);
    if (removed < max && seen.has(key)) {
      removed++;
      return true;
    }
    seen.add(key);
    return false;
  });
  return removed;
}
