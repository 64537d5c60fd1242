/** The step graph: pure, serialisable data compiled from a plan before anything runs. */

export const GRAPH_VERSION = 1;

interface StepBase {
  /** Unique and stable, e.g. `run-phase:unit`. */
  readonly id: string;
  /** Ids of steps that must finish (successfully) first. */
  readonly needs: readonly string[];
}

export type Step = StepBase &
  (
    | { readonly kind: 'build-image'; readonly image: string }
    | { readonly kind: 'create-network' }
    | { readonly kind: 'start-service'; readonly service: string }
    | { readonly kind: 'wait-ready'; readonly service: string }
    /** `shards`: the phase runs as that many shards (at most), each with its own service instances. */
    | { readonly kind: 'run-phase'; readonly phase: string; readonly shards?: number }
    | { readonly kind: 'collect-artifacts'; readonly phase: string }
    | { readonly kind: 'run-check'; readonly check: string }
    | { readonly kind: 'stop-service'; readonly service: string }
    | { readonly kind: 'remove-network' }
  );

export type StepKind = Step['kind'];

export interface StepGraph {
  readonly version: typeof GRAPH_VERSION;
  readonly plan: string;
  /** Phases selected by `--phase` plus everything they need, in plan order. */
  readonly phases: readonly string[];
  readonly services: readonly string[];
  readonly images: readonly string[];
  readonly profiles: readonly string[];
  /** True when a selected phase reaches its services on localhost (one shared network namespace). */
  readonly sharedNamespace: boolean;
  /** Steps in a topological order. */
  readonly steps: readonly Step[];
}
