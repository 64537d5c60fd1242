/** Turns a plan's env and commands into what a container gets: templates resolved, secrets revealed. */
import type { EnvSpec } from '../dsl/plan.js';
import { renderTemplates } from '../dsl/templates.js';
import type { ServiceAddress } from '../drivers/driver.js';

/** `${shard.index}` / `${shard.count}` of the shard a text runs in. */
export type ShardPosition = { readonly index: number; readonly count: number };

/** Resolves `${service.host}` and `${service.port}` (and `${shard.*}` in a shard); validation guarantees every reference is known. */
export function resolveTemplates(
  text: string,
  services: ReadonlyMap<string, ServiceAddress>,
  shard?: ShardPosition,
): string {
  return renderTemplates(text, {
    ...(shard ? { shard } : {}),
    service: (name, field) => {
      const handle = services.get(name);
      if (!handle) return undefined;
      return field === 'host' ? handle.host : handle.port === undefined ? undefined : String(handle.port);
    },
  });
}

export function resolveEnv(
  env: EnvSpec,
  services: ReadonlyMap<string, ServiceAddress>,
  shard?: ShardPosition,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = typeof value === 'string' ? resolveTemplates(value, services, shard) : value.reveal();
  }
  return out;
}

export function resolveCommand(
  command: readonly string[],
  services: ReadonlyMap<string, ServiceAddress>,
  shard?: ShardPosition,
): string[] {
  return command.map((part) => resolveTemplates(part, services, shard));
}
