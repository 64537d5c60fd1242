/** A run is a stream of events; the progress display and the run log are consumers. */
import type { Step, StepKind } from '../compile/graph.js';
import type { ServiceInstance } from '../compile/service-instances.js';
import type { Redact } from '../dsl/redactor.js';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'cancelled';

/** Which step an event belongs to, typed: what it does, to what (image, service, phase or check), which attempt. Never parsed from an id. */
export interface StepRef {
  readonly kind: StepKind;
  readonly subject: string;
  /** The phase owning the service instance the step acts on (`scope: 'phase'`). */
  readonly forPhase?: string;
  readonly attempt?: number;
}

/** The ref of a step on a service instance: the service as subject, the owning phase as `forPhase`. */
export function instanceRef(
  kind: 'start-service' | 'wait-ready' | 'setup-service',
  instance: ServiceInstance,
): StepRef {
  return {
    kind,
    subject: instance.service,
    ...(instance.forPhase !== undefined ? { forPhase: instance.forPhase } : {}),
  };
}

export type RunEvent =
  | {
      readonly kind: 'run-started';
      readonly runId: string;
      readonly plan: string;
      readonly driver: string;
      readonly at: number;
    }
  | { readonly kind: 'step-started'; readonly step: Step; readonly at: number }
  | {
      readonly kind: 'step-finished';
      readonly step: Step;
      readonly status: StepStatus;
      readonly at: number;
      readonly durationMs: number;
      readonly message?: string;
    }
  | {
      readonly kind: 'log';
      /** Display name of the output's origin (`unit`, `image app`). */
      readonly source: string;
      /** The step that produced the line; absent for output shared by several steps (an image pull). */
      readonly step?: StepRef;
      readonly line: string;
      readonly stream: 'stdout' | 'stderr';
    }
  | {
      readonly kind: 'phase-attempt';
      readonly phase: string;
      readonly attempt: number;
      readonly exitCode: number | null;
      readonly timedOut: boolean;
    }
  | { readonly kind: 'interrupted'; readonly signal: string; readonly force: boolean };

export type EventSink = (event: RunEvent) => void;

/**
 * The engine is at work on the run's first container step (a network, a service, a phase: anything
 * but an image build, which mostly answers at once from the engine's cache). What a run needs only at
 * its end loads from then on: loading it earlier would delay the steps before.
 */
export const engineAtWork = (event: RunEvent): boolean =>
  event.kind === 'step-started' && event.step.kind !== 'build-image';

/**
 * The event with its free text masked; names and ids are left as they are. Log lines are masked
 * already, once, where they enter the executor (PlanStepRunner), so only step messages are left here.
 */
export function redactEvent(event: RunEvent, redact: Redact): RunEvent {
  switch (event.kind) {
    case 'step-finished':
      return event.message === undefined ? event : { ...event, message: redact(event.message) };
    default:
      return event;
  }
}
