/**
 * What the engine runs: the validated, normalised plan. Durations are milliseconds, image
 * references are resolved, secrets are `Secret` objects that redact themselves.
 */
import type { ChangedLinesGateInput, CoverageFormat, CoverageGateInput } from './types.js';
import type { Secret } from './secret.js';

export type EnvValueSpec = string | Secret;
export type EnvSpec = Readonly<Record<string, EnvValueSpec>>;

/** Which image a container starts from: one the plan defines, or an external reference. */
export type ImageUse =
  | { readonly kind: 'plan'; readonly name: string }
  | { readonly kind: 'ref'; readonly ref: string };

export type ImageSpec =
  | {
      readonly kind: 'build';
      readonly name: string;
      /** Absolute path of the build context. */
      readonly context: string;
      /** Path of the Dockerfile relative to the context. */
      readonly dockerfile: string;
      readonly target?: string;
      readonly args: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'ref';
      readonly name: string;
      readonly ref: string;
      readonly pull: 'never' | 'missing' | 'always';
    };

export interface ProbeTimingSpec {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries?: number;
}
export type ReadyProbeSpec = ProbeTimingSpec &
  (
    | { readonly kind: 'exec'; readonly command: readonly string[]; readonly expect?: string }
    | { readonly kind: 'tcp'; readonly port: number }
    | { readonly kind: 'http'; readonly port: number; readonly path: string; readonly status?: number }
    | { readonly kind: 'log'; readonly pattern: string; readonly times: number }
    /** Speaks Redis: `PING` answered by `+PONG`. */
    | { readonly kind: 'redis'; readonly port: number }
  );

export interface ServiceSpec {
  readonly name: string;
  readonly image: ImageUse;
  /** `undefined`: the image's own command. A string command runs through `sh -c`. */
  readonly command?: readonly string[];
  readonly env: EnvSpec;
  readonly ports: readonly number[];
  readonly ready?: ReadyProbeSpec;
  readonly dependsOn: readonly string[];
  readonly profiles: readonly string[];
  readonly mounts: readonly MountSpec[];
  /** Commands run inside the service once it is ready, in order (exec form; a string became `sh -c`). */
  readonly setup: readonly (readonly string[])[];
  /** Limit for all setup commands together. */
  readonly setupTimeoutMs: number;
  /** `run`: one instance for the run; `phase`: one instance per phase that uses it. */
  readonly scope: 'run' | 'phase';
  /** True when the plan wrote `scope` itself: a shared (`run`) service it knows is shared. */
  readonly scopeWritten: boolean;
  /** Phases using this run-scoped service run one at a time. */
  readonly exclusive: boolean;
  readonly local?: { readonly command: string; readonly env: EnvSpec };
}

/** Default limit for a service's `setup` commands together. */
export const DEFAULT_SETUP_TIMEOUT_MS = 60_000;

export interface MountSpec {
  /** Absolute host path. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface CoverageSpec {
  readonly format: CoverageFormat;
  readonly path: string;
  readonly pathMap: Readonly<Record<string, string>>;
}

export interface PhaseSpec {
  readonly name: string;
  readonly image: ImageUse;
  readonly command: readonly string[];
  readonly env: EnvSpec;
  readonly workdir?: string;
  readonly mounts: readonly MountSpec[];
  readonly services: readonly string[];
  readonly localhost: boolean;
  readonly needs: readonly string[];
  /** Phases this one runs after, whatever their result. */
  readonly after: readonly string[];
  readonly timeoutMs?: number;
  readonly retries: number;
  /** `text` without `path`: the lines the phase printed (last attempt). */
  readonly results?:
    | { readonly format: 'junit' | 'tap'; readonly path: string }
    | { readonly format: 'text'; readonly text: TextResultsPlan; readonly path?: string };
  readonly coverage?: CoverageSpec;
  readonly artifacts: readonly string[];
  readonly profiles: readonly string[];
  readonly local?: { readonly run?: string; readonly workdir?: string };
  readonly shard?: ShardSpec;
  /** `false`: never cached (src/cache). */
  readonly cache?: boolean;
}

/** `files`: a glob relative to the phase's working folder (or absolute); without it the runner shards itself. */
export interface ShardSpec {
  readonly count: number;
  readonly files?: string;
}

export interface CommandCheckSpec {
  readonly name: string;
  readonly image: ImageUse;
  readonly command: readonly string[];
  readonly env: EnvSpec;
  readonly timeoutMs?: number;
}

export interface GatesSpec {
  readonly coverage?: CoverageGateInput;
  readonly phaseCoverage: Readonly<Record<string, CoverageGateInput>>;
  readonly changedLines?: ChangedLinesGateInput;
  readonly tests?: { readonly failed?: number; readonly minExecuted?: number };
  readonly duration?: { readonly maxMs?: number; readonly phasesMs: Readonly<Record<string, number>> };
  readonly commands: Readonly<Record<string, CommandCheckSpec>>;
}

export interface CriterionSpec {
  readonly id: string;
  readonly requirement: string;
  readonly kind: 'functional' | 'non-functional';
  readonly verifiedBy: {
    readonly phases?: readonly string[];
    readonly tests?: RegExp;
    readonly gates?: readonly string[];
    /** Name of the check in `TestPlan.checks` that runs this criterion's command. */
    readonly command?: string;
  };
}

export interface TestPlan {
  readonly name: string;
  readonly description?: string;
  /** The plan's `concurrency`; `plan run --concurrency` overrides it. */
  readonly concurrency?: number;
  /** Absolute path of the plan file, or `<inline>`. */
  readonly file: string;
  /** Folder relative paths in the plan resolve against. */
  readonly dir: string;
  readonly images: Readonly<Record<string, ImageSpec>>;
  readonly services: Readonly<Record<string, ServiceSpec>>;
  readonly phases: Readonly<Record<string, PhaseSpec>>;
  readonly gates: GatesSpec;
  /** Command gates and command-verified criteria, as runnable checks (`gate:NAME`, `criterion:ID`). */
  readonly checks: Readonly<Record<string, CommandCheckSpec>>;
  readonly acceptance: readonly CriterionSpec[];
  /** Every secret value in the plan, for redaction. */
  readonly secrets: readonly Secret[];
}

/** Normalised `results.text`: a preset, or pass/fail(/skip/file) RegExp sources. */
export type TextResultsPlan =
  | { readonly preset: 'mocha' | 'pytest' | 'go' | 'cargo' | 'per-file' }
  | { readonly pass: string; readonly fail: string; readonly skip?: string; readonly file?: string };
