/** External image references with a pull policy: never / missing / always. */
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { InfrastructureError } from '../../errors.js';
import type { ImageHandle, StepContext } from '../driver.js';
import { statusOf } from './engine-errors.js';
import { readJsonStream } from './json-stream.js';

export type PullPolicy = 'never' | 'missing' | 'always';

export async function resolveImage(
  docker: Dockerode,
  name: string,
  ref: string,
  pull: PullPolicy,
  ctx: StepContext,
): Promise<ImageHandle> {
  if (pull !== 'always') {
    const local = await localImageId(docker, ref);
    if (local) return { name, ref: local, cached: true };
    if (pull === 'never') {
      throw new InfrastructureError(
        'IMAGE_NOT_FOUND',
        `Image "${ref}" is not on the engine and its pull policy is "never": build or load it first ` +
          `(\`docker build -t ${ref} …\` or \`docker load\`), or set pull: 'missing'.`,
      );
    }
  }
  await pullImage(docker, ref, ctx);
  const pulled = await localImageId(docker, ref);
  if (!pulled) throw pullFailed(ref, 'the engine reported success but the image is not there');
  return { name, ref: pulled, cached: false };
}

async function localImageId(docker: Dockerode, ref: string): Promise<string | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    return info.Id;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

async function pullImage(docker: Dockerode, ref: string, ctx: StepContext): Promise<void> {
  let failure: string | undefined;
  try {
    const stream = (await docker.pull(ref, { abortSignal: ctx.signal })) as unknown as Readable;
    await readJsonStream(stream, (m) => {
      if (m.error) failure = m.errorDetail?.message ?? m.error;
      // Per-layer byte progress would flood the log: keep the status lines (pulling, digest, done).
      else if (m.status && !/^(Downloading|Extracting|Waiting|Verifying Checksum)/.test(m.status)) ctx.onLog(m.status, 'stdout');
    });
  } catch (cause) {
    failure = cause instanceof Error ? cause.message : String(cause);
  }
  if (failure !== undefined) throw pullFailed(ref, failure);
}

function pullFailed(ref: string, why: string): InfrastructureError {
  return new InfrastructureError(
    'IMAGE_PULL_FAILED',
    `Could not pull image "${ref}": ${why.trim()}.\n` +
      `  If no registry is reachable, build or load the image on this engine first ` +
      `(\`docker build -t ${ref} …\` or \`docker load -i image.tar\`), or use an image the plan builds.`,
  );
}
