/**
 * Images reach the nodes through a registry: an image the manager's engine has (built there, or
 * loaded) is tagged `<registry>/<repository>:<tag>` and pushed once per driver; tasks name the pushed
 * reference with its digest, which every node can pull. Without a registry, refs are used as they are (the nodes
 * must already have the image).
 */
import { InfrastructureError } from '../../errors.js';
import type { ImageHandle } from '../driver.js';
import type { ProgressMessage } from '../docker/engine/engine.js';
import type { SwarmPort } from '../docker/engine/swarm.js';

export class ImageDistribution {
  private readonly pushed = new Map<string, Promise<string>>();

  constructor(
    private readonly swarm: SwarmPort,
    /** `host:port`, or undefined when the nodes already hold every image. */
    readonly registry: string | undefined,
  ) {}

  /** The handle with a `ref` every node can pull. */
  async distribute(handle: ImageHandle, repository: string): Promise<ImageHandle> {
    const registry = this.registry;
    if (!registry || handle.ref.startsWith(`${registry}/`)) return handle;
    const { repo, tag } = splitRef(`${registry}/${repository}`);
    const target = `${repo}:${tag}`;
    let pushing = this.pushed.get(target + handle.ref);
    if (!pushing) {
      pushing = this.push(handle, repo, tag);
      pushing.catch(() => this.pushed.delete(target + handle.ref));
      this.pushed.set(target + handle.ref, pushing);
    }
    return { ...handle, ref: await pushing };
  }

  private async push(handle: ImageHandle, repo: string, tag: string): Promise<string> {
    let failure: string | undefined;
    let digest: string | undefined;
    const onProgress = (m: ProgressMessage) => {
      const error = m.errorDetail?.message ?? m.error;
      if (error) failure = error;
      if (m.aux?.Digest) digest = m.aux.Digest;
    };
    try {
      await this.swarm.tag(handle.ref, repo, tag);
      await this.swarm.push(repo, tag, onProgress);
    } catch (cause) {
      failure ??= cause instanceof Error ? cause.message : String(cause);
    }
    if (failure !== undefined)
      throw new InfrastructureError(
        'IMAGE_PUSH_FAILED',
        `Image "${handle.name}" could not be pushed to the registry ${this.registry} (${failure}).\n` +
          `  The swarm's nodes pull every image from it: check that it runs and that each node lists it ` +
          `as an insecure registry (bash scripts/swarm.sh up does both here).`,
        { cause: failure },
      );
    // By digest: a node that holds it starts the task without asking the registry (by tag, Swarm's
    // agent pulls before every task).
    return digest ? `${repo}:${tag}@${digest}` : `${repo}:${tag}`;
  }
}

/** `host:5000/testplan-node:20` → repo `host:5000/testplan-node`, tag `20`; no tag means `latest`. */
export function splitRef(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  if (at > ref.lastIndexOf('/')) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  return { repo: ref, tag: 'latest' };
}
