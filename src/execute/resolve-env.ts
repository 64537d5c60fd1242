/** Turns a plan's env and commands into what a container gets: templates resolved, secrets revealed. */
import type { EnvSpec } from '../dsl/plan.js';
import { renderTemplates } from '../dsl/templates.js';
import type { ServiceHandle } from '../drivers/driver.js';

/** Resolves `${service.host}` and `${service.port}`; validation guarantees every reference is known. */
export function resolveTemplates(text: string, services: ReadonlyMap<string, ServiceHandle>): string {
  return renderTemplates(text, {
    service: (name, field) => {
      const handle = services.get(name);
      if (!handle) return undefined;
      return field === 'host' ? handle.host : handle.port === undefined ? undefined : String(handle.port);
    },
  });
}

export function resolveEnv(env: EnvSpec, services: ReadonlyMap<string, ServiceHandle>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = typeof value === 'string' ? resolveTemplates(value, services) : value.reveal();
  }
  return out;
}

export function resolveCommand(command: readonly string[], services: ReadonlyMap<string, ServiceHandle>): string[] {
  return command.map((part) => resolveTemplates(part, services));
}
