/**
 * The Docker Engine as the driver uses it: one small port per resource, our own types in and out.
 * `dockerode-engine.ts` implements it on dockerode (the only code that imports dockerode);
 * tests use an in-memory fake (`test/helpers/fake-engine.ts`). Failed calls reject with
 * `EngineError` (engine-error.ts).
 */
import type { Readable } from 'node:stream';

export type OutputStream = 'stdout' | 'stderr';
/** One demultiplexed chunk of a container's output (not a line: lines are the caller's business). */
export type OnOutput = (chunk: Buffer, stream: OutputStream) => void;

/** Labels to select by: a value means `key=value`, `undefined` means "has the key". */
export type LabelSelector = Readonly<Record<string, string | undefined>>;

/** A container, network or volume found by its labels (a volume's id is its name). */
export interface Labelled {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface BindMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export type NetworkPlacement =
  /** On a user-defined network, reachable under these aliases. */
  | { readonly network: string; readonly aliases: readonly string[] }
  /** In another container's network namespace (`container:<id>`): no aliases, no published ports. */
  | { readonly joinNamespaceOf: string };

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** Undefined: the image's own command. */
  readonly command?: readonly string[];
  /** Replaces the image's ENTRYPOINT; undefined: the image's own. */
  readonly entrypoint?: readonly string[];
  /** Keeps stdin open for the first client that attaches with `stdin` (`docker run -i`). */
  readonly openStdin?: boolean;
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly placement: NetworkPlacement;
  /** Container ports (tcp) published on free 127.0.0.1 host ports the engine picks. */
  readonly publish: readonly number[];
  readonly binds: readonly BindMount[];
  /** Targets of anonymous volumes that carry `labels` and go with the container. */
  readonly anonymousVolumes: readonly string[];
}

export interface ContainerState {
  readonly id: string;
  /** Container port → host port, where published. */
  readonly published: Readonly<Record<number, number>>;
  /** Network name → the container's address on it. */
  readonly addresses: Readonly<Record<string, string>>;
  readonly running: boolean;
  /** Set once it ran and stopped: its exit code (null: unknown) and when (ISO 8601). */
  readonly exited?: { readonly exitCode: number | null; readonly at: string };
  /** overlay2's writable layer (the container's own writes), as a path on the engine's host. */
  readonly upperDir?: string;
}

/** One entry of a container's filesystem diff against its image (`docker diff`). */
export interface FileChange {
  readonly path: string;
  readonly kind: 'changed' | 'added' | 'deleted';
}

export interface LogsOptions {
  /** Keep reading until the container stops or `signal` aborts. */
  readonly follow: boolean;
  /** Only the last N lines. */
  readonly tail?: number;
  readonly signal?: AbortSignal;
}

export interface Attached {
  readonly ended: Promise<void>;
  /** Writes to the container's stdin; only when attached with `stdin` to a container made with `openStdin`. */
  readonly send?: (text: string) => void;
}

export interface ContainerPort {
  /** Creates (does not start) a container; resolves with its id. */
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  inspect(id: string): Promise<ContainerState>;
  /** Attaches to the output (call before `start` to miss nothing); `ended` settles when it ends. */
  attach(id: string, onOutput: OnOutput, options?: { readonly stdin?: boolean }): Promise<Attached>;
  /** Reads the log; resolves when it ends (or when `signal` aborts a follow). */
  logs(id: string, options: LogsOptions, onOutput: OnOutput): Promise<void>;
  /** Resolves once the container is not running, with its exit code; rejects when `signal` aborts. */
  wait(id: string, signal?: AbortSignal): Promise<{ readonly exitCode: number | null }>;
  /**
   * Resolves with the exit code of the container's `die` event, sent as its process ends: `wait`
   * answers only after the engine has also released the container's network (~50 ms later). A die
   * before the call is seen too (the engine replays its recent events). A die event without an exit
   * code (not Docker's) does not count. Rejects when the engine gives no events (a proxy that forbids
   * them), when the stream ends, or when `signal` aborts.
   */
  died(id: string, signal?: AbortSignal): Promise<{ readonly exitCode: number | null }>;
  kill(id: string): Promise<void>;
  /** What the container's own processes changed in its filesystem (not on mounts or volumes). */
  changes(id: string): Promise<FileChange[]>;
  /** Force-removes the container with its anonymous volumes. */
  remove(id: string): Promise<void>;
  /** Running or not. */
  list(selector: LabelSelector): Promise<Labelled[]>;
}

export interface ExecResult {
  /** Null while the command still runs (an aborted exec). */
  readonly exitCode: number | null;
  /** stdout and stderr together, as they came. */
  readonly output: string;
}

export interface ExecPort {
  /**
   * Runs a command inside a running container (with the container's env); an abort cuts its output
   * short. With `onOutput`, the output goes there as it comes and `output` stays empty.
   */
  run(containerId: string, command: readonly string[], signal?: AbortSignal, onOutput?: OnOutput): Promise<ExecResult>;
}

export interface ArchivePort {
  /** A tar stream of a file or folder, from a running or stopped container. */
  read(containerId: string, path: string): Promise<Readable>;
}

/** One message of the engine's build or pull progress stream. */
export interface ProgressMessage {
  readonly stream?: string;
  readonly status?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly ID?: string; readonly Digest?: string };
}

export interface BuildOptions {
  readonly tag: string;
  readonly dockerfile: string;
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface ImageInfo {
  readonly id: string;
  /** The image's declared VOLUMEs. */
  readonly volumes: readonly string[];
  /** The image's ENTRYPOINT; undefined or empty: none. */
  readonly entrypoint?: readonly string[];
}

export interface ImagePort {
  /** Undefined when the engine has no such image. */
  inspect(ref: string): Promise<ImageInfo | undefined>;
  /** Builds from a tar of the context (classic builder, layer cache); resolves when the stream ends. */
  build(context: Readable, options: BuildOptions, onProgress: (m: ProgressMessage) => void): Promise<void>;
  pull(ref: string, onProgress: (m: ProgressMessage) => void, signal: AbortSignal): Promise<void>;
}

export interface NetworkPort {
  /** A bridge network; rejects with status 409 when the name is taken. */
  create(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  remove(nameOrId: string): Promise<void>;
  list(selector: LabelSelector): Promise<Labelled[]>;
}

export interface VolumePort {
  remove(name: string): Promise<void>;
  list(selector: LabelSelector): Promise<Labelled[]>;
}

export interface EngineVersion {
  readonly version: string;
  readonly apiVersion: string;
}

export interface SystemPort {
  version(signal: AbortSignal): Promise<EngineVersion>;
}

export interface Engine {
  readonly containers: ContainerPort;
  readonly exec: ExecPort;
  readonly archive: ArchivePort;
  readonly images: ImagePort;
  readonly networks: NetworkPort;
  readonly volumes: VolumePort;
  readonly system: SystemPort;
}
