/** Pieces of container specs shared by services and phases. */
import type { NetworkPlacement } from './engine/engine.js';

/** In the owner's namespace when joining one; otherwise on the run network under `aliases`. */
export function networkPlacement(
  network: string,
  aliases: readonly string[],
  namespaceOwner: string | undefined,
): NetworkPlacement {
  return namespaceOwner ? { joinNamespaceOf: namespaceOwner } : { network, aliases };
}

/** Container names must be unique on the engine: run id + role + name (+ attempt). */
export function containerName(runId: string, ...parts: readonly (string | number)[]): string {
  return ['testplan', runId, ...parts]
    .map(String)
    .join('-')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .slice(0, 200);
}
