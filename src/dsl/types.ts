/**
 * What users write: the plan file's shape. The generic parameters are the names the plan
 * defines (image, service, phase keys); every reference position is `NoInfer<…>` so that a
 * typo is a compile error ("Did you mean …?") instead of a newly inferred name.
 */

/** `250ms`, `30s`, `5m`, `1h`. */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h'}`;

/** A secret value: never printed, never stored. Write it with `secret('…')` or `secretFromEnv('NAME')`. */
export type SecretInput = { readonly secret: string } | { readonly secretFromEnv: string };
export type EnvValue = string | number | boolean | SecretInput;
export type EnvInput = Readonly<Record<string, EnvValue>>;

/**
 * A docker reference that is not one of the plan's images: `redis:7`, `name@sha256:…`, or with a
 * registry or namespace `org/app` (no tag means `:latest`, as in docker). A bare word must be a key
 * of `images` here, so a typo stays a type error; write `redis:latest` for an official image.
 */
export type ExternalImageRef = `${string}:${string}` | `${string}@${string}` | `${string}/${string}`;
export type ImageRef<I extends string> = NoInfer<I> | ExternalImageRef;

export interface BuildImageInput {
  readonly build: {
    readonly context: string;
    readonly dockerfile?: string;
    readonly target?: string;
    readonly args?: Readonly<Record<string, string>>;
  };
}
export interface ExistingImageInput {
  readonly ref: string;
  readonly pull?: 'never' | 'missing' | 'always';
}
export type ImageInput = BuildImageInput | ExistingImageInput;

export interface ProbeTiming {
  /** Poll interval for the first second; then the pause grows ×1.5 up to 500 ms. Default `50ms`. */
  readonly interval?: Duration;
  /** Give up after this long. Default `60s`. */
  readonly timeout?: Duration;
  /** Give up after this many failed probes; `0` or unset: no limit but the timeout. */
  readonly retries?: number;
}
export type ReadyProbeInput = ProbeTiming &
  (
    | { readonly exec: string | readonly string[] /** regex the probe's output must match */; readonly expect?: string }
    | { readonly tcp: { readonly port: number } }
    | { readonly http: { readonly port: number; readonly path?: string; readonly status?: number } }
    | { readonly log: string | { readonly pattern: string; readonly times?: number } }
    | { readonly preset: 'postgres'; readonly user?: string; readonly database?: string; readonly port?: number }
    | { readonly preset: 'redis'; readonly port?: number }
  );

export interface ServiceInput<I extends string, S extends string> {
  readonly image: ImageRef<I>;
  readonly command?: string | readonly string[];
  readonly env?: EnvInput;
  /** Container ports; the first is `${name.port}`. Never published on fixed host ports. */
  readonly ports?: readonly number[];
  readonly ready?: ReadyProbeInput;
  readonly dependsOn?: readonly NoInfer<S>[];
  readonly profiles?: readonly string[];
  /** Host files or folders bind-mounted into the service (init scripts, `pg_hba.conf`); `source` relative to the plan file. */
  readonly mounts?: readonly MountInput[];
  /**
   * Commands run inside the service, in order, once it is ready (roles, databases, seed data): a string
   * runs through `sh -c`, an array is exec'd. The service's env is theirs; a failing one makes the service not ready.
   */
  readonly setup?: readonly (string | readonly string[])[];
  /** Time limit for all `setup` commands together. Default `60s`. */
  readonly setupTimeout?: Duration;
  /**
   * `'run'` (default): one instance shared by every phase that uses it; written explicitly, it says the
   * sharing is safe (no warning). `'phase'`: each phase that uses it gets a fresh instance of its own.
   */
  readonly scope?: 'run' | 'phase';
  /** A run-scoped service that phases use one at a time (they never overlap; a failure skips none). */
  readonly exclusive?: boolean;
  /** How to run this service without Docker (`--driver local`). `${port}` is a free host port. */
  readonly local?: { readonly command: string; readonly env?: EnvInput };
}

export interface MountInput {
  readonly source: string;
  readonly target: string;
  readonly readOnly?: boolean;
}

export type ResultsInput = { readonly junit: string } | { readonly tap: string } | { readonly text: TextResultsInput };
/** Runners that print only text: pass/fail/skip line patterns (a preset's, or RegExp sources; the first capture group is the name). */
export type TextPresetName = 'mocha' | 'pytest' | 'go' | 'cargo' | 'per-file';
export interface TextResultsInput {
  /** Built-in patterns for a common runner; or give `pass` and `fail` (and `skip`, `file`) yourself. */
  readonly preset?: TextPresetName;
  readonly pass?: string;
  readonly fail?: string;
  readonly skip?: string;
  /** A file or suite header line: later tests belong to it, and a crash is named after it. */
  readonly file?: string;
  /** `'output'` (default): the phase's own output (last attempt); or an absolute container path of a file holding it. */
  readonly source?: string;
}
export type CoverageFormat = 'lcov' | 'cobertura' | 'istanbul-summary' | 'istanbul-final';
export interface CoverageInput {
  readonly format: CoverageFormat;
  readonly path: string;
  /** Container path prefix → repo path prefix, e.g. `{ '/app/': '' }`. */
  readonly pathMap?: Readonly<Record<string, string>>;
}

/**
 * Split a phase over parallel containers: `N` (the runner shards itself with `${shard.index}` /
 * `${shard.count}`), or `{ count, files }` (Testplan lists the files matching the glob in the phase
 * image, splits them by past duration or size, and passes each shard its list in `$TESTPLAN_SHARD_FILES`).
 */
export type ShardInput = number | { readonly count: number; readonly files?: string };

export interface PhaseInput<I extends string, S extends string, P extends string> {
  readonly image: ImageRef<I>;
  readonly run: string | readonly string[];
  readonly env?: EnvInput;
  readonly workdir?: string;
  readonly mounts?: readonly MountInput[];
  readonly services?: readonly NoInfer<S>[];
  /** Reach the services on `localhost` (one shared network namespace, like a pod). */
  readonly localhost?: boolean;
  readonly needs?: readonly NoInfer<P>[];
  /** Runs after these phases finish, whatever their result (ordering only; `needs` also requires them to pass). */
  readonly after?: readonly NoInfer<P>[];
  readonly timeout?: Duration;
  readonly retries?: number;
  readonly results?: ResultsInput;
  readonly coverage?: CoverageInput;
  /** Container paths copied out into the run's output folder, also when the phase failed. */
  readonly artifacts?: readonly string[];
  readonly profiles?: readonly string[];
  /** Run the phase as N shards, each with its own instances of the phase's services. */
  readonly shard?: ShardInput;
  /** How to run this phase without Docker (`--driver local`); defaults to `run` in the plan's folder. */
  readonly local?: { readonly run?: string; readonly workdir?: string };
  /** `false`: never reuse a cached result of this phase (it has an external effect); default true. */
  readonly cache?: boolean;
}

export interface CoverageThresholds {
  readonly lines?: number;
  readonly branches?: number;
  readonly functions?: number;
  readonly statements?: number;
}

/** A coverage gate: thresholds, and which files it counts. */
export interface CoverageGateInput extends CoverageThresholds {
  /**
   * Globs of the files the gate counts (default: every file), e.g. `['src/**']`, to match the team's own
   * coverage config; tried on the file's path as the report gives it (after `pathMap`) and on each of its
   * trailing parts, so `src/**` also matches `/app/src/a.ts`.
   */
  readonly include?: readonly string[];
  /** Globs of files the gate leaves out, e.g. `['**\/*.test.ts', 'src/generated/**']`; exclude wins over include. */
  readonly exclude?: readonly string[];
}

/**
 * Changed-lines ("patch") coverage: of the lines changed since the merge-base with `base` (committed,
 * staged, unstaged and untracked), the executable ones must be covered at least `lines` percent.
 */
export interface ChangedLinesGateInput {
  readonly lines: number;
  /** A git ref the change is measured from, e.g. `origin/main`. */
  readonly base: string;
  /** Globs of the changed files the gate counts (default: the measured code, see README). */
  readonly include?: readonly string[];
  /** Globs of changed files the gate leaves out, e.g. `['test/**']`; exclude wins over include. */
  readonly exclude?: readonly string[];
}

export interface CommandCheckInput<I extends string> {
  readonly image: ImageRef<I>;
  readonly run: string | readonly string[];
  readonly env?: EnvInput;
  readonly timeout?: Duration;
}

export interface GatesInput<I extends string, P extends string> {
  /** Thresholds over coverage merged from every phase that reports it; `phases` sets per-phase ones. */
  readonly coverage?: CoverageGateInput & {
    readonly phases?: Partial<Record<NoInfer<P>, CoverageGateInput>>;
    /** Coverage of the lines changed since `base` (git): `{ lines: 90, base: 'origin/main' }`. */
    readonly changed?: ChangedLinesGateInput;
  };
  readonly tests?: { readonly failed?: number; readonly minExecuted?: number };
  readonly duration?: { readonly max?: Duration; readonly phases?: Partial<Record<NoInfer<P>, Duration>> };
  /** Custom gates: a command that passes when it exits 0. */
  readonly commands?: Readonly<Record<string, CommandCheckInput<I>>>;
}

export type TestPatternInput = string | RegExp;

export interface CriterionInput<I extends string, P extends string> {
  readonly id: string;
  readonly requirement: string;
  readonly kind?: 'functional' | 'non-functional';
  /** Every listed kind of evidence must pass; with none that matched, the criterion is unverified. */
  readonly verifiedBy: {
    readonly phases?: readonly NoInfer<P>[];
    /** Matches test names (`suite > name`) and files. */
    readonly tests?: TestPatternInput;
    /** Gate names: `coverage`, `tests`, `duration` or a key of `gates.commands`. */
    readonly gates?: readonly string[];
    readonly command?: CommandCheckInput<I>;
  };
}

export interface PlanInput<I extends string = string, S extends string = string, P extends string = string> {
  readonly name: string;
  readonly description?: string;
  /** Phases, builds and checks running at once; `plan run --concurrency` overrides it. Default: the number of cores. */
  readonly concurrency?: number;
  readonly images?: Readonly<Record<I, ImageInput>>;
  readonly services?: Readonly<Record<S, ServiceInput<I, S>>>;
  readonly phases: Readonly<Record<P, PhaseInput<I, S, P>>>;
  readonly gates?: GatesInput<I, P>;
  readonly acceptance?: readonly CriterionInput<I, P>[];
}
