/** What starting one instance of a service asks of the driver, and what to say when it does not get ready. */
import type { ServiceSpec } from '../dsl/plan.js';
import type { ImageHandle, ReadyOutcome, ServiceAddress, StartServiceRequest } from '../drivers/driver.js';
import { resolveCommand, resolveEnv } from './resolve-env.js';

/** The request for one instance of service `name`, its templates resolved against `handles`. */
export function startServiceRequest(
  name: string,
  spec: ServiceSpec,
  image: ImageHandle,
  handles: ReadonlyMap<string, ServiceAddress>,
  placement: Pick<StartServiceRequest, 'alias' | 'sharedNamespace'>,
): StartServiceRequest {
  return {
    name,
    ...(placement.alias !== undefined ? { alias: placement.alias } : {}),
    image,
    ...(spec.command ? { command: resolveCommand(spec.command, handles) } : {}),
    env: resolveEnv(spec.env, handles),
    ports: spec.ports,
    sharedNamespace: placement.sharedNamespace,
    ...(spec.mounts.length > 0 ? { mounts: spec.mounts } : {}),
    ...(spec.local ? { local: { command: spec.local.command, env: resolveEnv(spec.local.env, handles) } } : {}),
  };
}

/** Why an instance is not ready ("exited with code 3 at … before it became ready"); `cancelled` for an abort. */
export function notReadyReason(outcome: Extract<ReadyOutcome, { ready: false }>): string {
  if (outcome.reason === 'aborted') return 'cancelled';
  if (outcome.reason === 'exited')
    return `exited with code ${outcome.exitCode ?? 'unknown'}${outcome.exitedAt ? ` at ${outcome.exitedAt}` : ''} before it became ready`;
  return `did not become ready within ${Math.round(outcome.elapsedMs)} ms (${outcome.probes} probes)`;
}
