/** The step graph: pure, serialisable data compiled from a plan before anything runs. */
import type { ServiceInstance } from './service-instances.js';
import type { SelectionInfo } from './select.js';

export const GRAPH_VERSION = 1;

interface StepBase {
  /** Unique and stable, e.g. `run-phase:unit`. */
  readonly id: string;
  /** Ids of steps that must finish (successfully) first. */
  readonly needs: readonly string[];
  /** Ids of steps that must have finished first, in any state (a phase's `after`: ordering only). */
  readonly after?: readonly string[];
  /** Exclusive services this step holds while it runs: two steps holding the same one never overlap. */
  readonly locks?: readonly string[];
  /**
   * The (run-phase) step whose concurrency slot this step takes when it starts, for that phase to use:
   * a phase's own service instances start only when the phase may run.
   */
  readonly slotOf?: string;
}

/** A step on one service instance: `forPhase` is set for a phase's own instance (`scope: 'phase'`). */
interface OnService {
  readonly service: string;
  readonly forPhase?: string;
}

export type Step = StepBase &
  (
    | { readonly kind: 'build-image'; readonly image: string }
    | { readonly kind: 'create-network' }
    | ({ readonly kind: 'start-service' } & OnService)
    | ({ readonly kind: 'wait-ready' } & OnService)
    /** The service's `setup` commands, run inside it once it is ready. */
    | ({ readonly kind: 'setup-service' } & OnService)
    /** `shards`: the phase runs as that many shards (at most), each with its own service instances. */
    | { readonly kind: 'run-phase'; readonly phase: string; readonly shards?: number }
    | { readonly kind: 'collect-artifacts'; readonly phase: string }
    | { readonly kind: 'run-check'; readonly check: string }
    | ({ readonly kind: 'stop-service' } & OnService)
    | { readonly kind: 'remove-network' }
  );

export type StepKind = Step['kind'];

export interface StepGraph {
  readonly version: typeof GRAPH_VERSION;
  readonly plan: string;
  /** Phases selected by `--phase` plus everything they need, in plan order. */
  readonly phases: readonly string[];
  readonly services: readonly string[];
  /** Running copies of the services: each run-scoped one once, each phase-scoped one per phase using it. */
  readonly instances: readonly ServiceInstance[];
  readonly images: readonly string[];
  readonly profiles: readonly string[];
  /** How `--phase` chose the phases: the ones asked for, needs pulled in, needs left out (`--no-needs`). */
  readonly selection: SelectionInfo;
  /** True when a selected phase reaches its services on localhost (one shared network namespace). */
  readonly sharedNamespace: boolean;
  /** Steps in a topological order. */
  readonly steps: readonly Step[];
}
