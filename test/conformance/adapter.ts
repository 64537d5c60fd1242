/**
 * What the conformance suite needs from a driver under test. One small adapter per driver
 * (adapters/*.ts) says how to make its services and phases from a shell script; the cases in
 * driver-conformance.ts are the same for every driver.
 */
import type { Test } from 'tap';
import type {
  Driver,
  ImageHandle,
  RunIdentity,
  RunPhaseRequest,
  ServiceHandle,
  StartServiceRequest,
  StepContext,
} from '../../src/drivers/driver.js';

export interface RecordedContext extends StepContext {
  readonly lines: string[];
  readonly abort: AbortController;
}

export interface Fixture {
  readonly driver: Driver;
  readonly run: RunIdentity;
  readonly ctx: RecordedContext;
  /** A fresh context of the same run (its own abort). */
  context(): RecordedContext;
  /** The port services listen on, as the plan declares it (`${port}` in scripts). */
  readonly port: number;
  /**
   * A service running `script` under `sh`; `${port}` is where it must listen, `$NODE` runs Node.js.
   */
  service(name: string, script: string, env?: Readonly<Record<string, string>>): StartServiceRequest;
  /** A phase running `script` under `sh`; `$OUT` is the folder `/out` stands for, `$NODE` runs Node.js. */
  phase(name: string, script: string, extra?: Partial<RunPhaseRequest>): RunPhaseRequest;
  /**
   * `/out/junit.xml` already there before the phase starts (baked into the phase's image, or left
   * on disk), with an mtime in 2099 when `futureMtime`; the phase `name` runs `script` next to it.
   */
  preexistingResults(
    name: string,
    script: string,
    futureMtime: boolean,
  ): Promise<{ readonly request: RunPhaseRequest; readonly path: string }>;
  /**
   * A folder that outlives one attempt (a bind mount, or a host folder): `path` as phases name it.
   */
  persistentFolder(): { readonly path: string; readonly extra: Partial<RunPhaseRequest> };
  /** How many resources (containers, networks, volumes, processes) of this run are still there. */
  leftovers(services: readonly ServiceHandle[]): Promise<number>;
}

export interface DriverAdapter {
  readonly name: string;
  /** undefined (after skipping or failing the test with one clear line) when the driver cannot run here. */
  setup(t: Test): Promise<Fixture | undefined>;
}

export type { ImageHandle };

export function recordingContext(run: RunIdentity): RecordedContext {
  const abort = new AbortController();
  const lines: string[] = [];
  return { run, signal: abort.signal, onLog: (line) => lines.push(line), lines, abort };
}
