/**
 * Test results read from what phases print (`results: { text: … }` without a file): one text parser
 * per phase, fed with the log lines of its current attempt; each attempt's end closes it with that
 * attempt's exit code, so the last attempt's output is what counts.
 */
import type { TestPlan } from '../dsl/plan.js';
import type { EvidenceResult, TestReport } from '../evidence/index.js';
// The text parser alone, not the evidence index: the other parsers load at the run's end (run-plan.ts).
import { createTextParser, type TextParser } from '../evidence/text-parser.js';
import type { RunEvent } from '../execute/events.js';

export interface OutputResults {
  readonly onEvent: (event: RunEvent) => void;
  /** The last finished attempt's results of a phase that reads its own output; undefined otherwise. */
  result(phase: string): EvidenceResult<TestReport> | undefined;
}

export function createOutputResults(plan: TestPlan): OutputResults {
  const specs = new Map(
    Object.values(plan.phases).flatMap((p) =>
      p.results?.format === 'text' && p.results.path === undefined ? [[p.name, p.results.text] as const] : [],
    ),
  );
  const open = new Map<string, TextParser>();
  const done = new Map<string, EvidenceResult<TestReport>>();
  const parserOf = (phase: string): TextParser => {
    let parser = open.get(phase);
    if (parser === undefined) open.set(phase, (parser = createTextParser(specs.get(phase)!)));
    return parser;
  };
  return {
    onEvent(event) {
      // The step, not the display source: a service or check may carry a phase's name.
      if (event.kind === 'log' && event.step?.kind === 'run-phase' && specs.has(event.step.subject)) {
        parserOf(event.step.subject).line(event.line);
      } else if (event.kind === 'phase-attempt' && specs.has(event.phase)) {
        const parser = parserOf(event.phase);
        open.delete(event.phase);
        const exitCode = event.timedOut ? (event.exitCode ?? 124) : event.exitCode;
        done.set(event.phase, { ok: true, value: parser.end({ exitCode }) });
      }
    },
    result: (phase) => done.get(phase),
  };
}
