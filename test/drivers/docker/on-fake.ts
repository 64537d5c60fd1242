/** A DockerDriver on the in-memory fake engine, with a run and a recording context: no engine needed. */
import type { ImageHandle, RunIdentity, RunPhaseRequest, StartServiceRequest } from '../../../src/drivers/driver.js';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { FakeEngine } from '../../helpers/fake-engine.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { contextFor } from './harness.js';

export const IMAGE: ImageHandle = { name: 'app', ref: 'sha256:app', cached: true };

export function onFake(options: { hostname?: string; isAlive?: (pid: number) => boolean } = {}) {
  const engine = new FakeEngine();
  engine.imagesByRef.set(IMAGE.ref, { id: IMAGE.ref, volumes: ['/data'] });
  const driver = new DockerDriver({
    engine,
    endpoint: 'the fake engine',
    hostname: options.hostname ?? 'this-host',
    isAlive: options.isAlive ?? (() => true),
  });
  return { engine, driver };
}

let runs = 0;
export function fakeRun(plan = 'fake-plan', extra: Record<string, string> = {}): RunIdentity {
  const runId = `fake${++runs}`;
  return {
    runId,
    plan,
    labels: { [LABEL.run]: runId, [LABEL.plan]: plan, [LABEL.pid]: '4242', [LABEL.host]: 'this-host', ...extra },
    outDir: tempDir('fake'),
  };
}

export function service(name: string, extra: Partial<StartServiceRequest> = {}): StartServiceRequest {
  return { name, image: IMAGE, env: {}, ports: [6379], sharedNamespace: false, ...extra };
}

export function phase(name: string, extra: Partial<RunPhaseRequest> = {}): RunPhaseRequest {
  return {
    name,
    role: 'phase',
    attempt: 1,
    image: IMAGE,
    command: ['run-tests'],
    env: {},
    mounts: [],
    sharedNamespace: false,
    ...extra,
  };
}

export { contextFor };
