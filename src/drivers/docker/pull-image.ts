/** External image references with a pull policy: never / missing / always. */
import { InfrastructureError } from '../../errors.js';
import type { ImageHandle, StepContext } from '../driver.js';
import type { ImagePort } from './engine/engine.js';

export type PullPolicy = 'never' | 'missing' | 'always';

export async function resolveImage(
  images: ImagePort,
  name: string,
  ref: string,
  pull: PullPolicy,
  ctx: StepContext,
): Promise<ImageHandle> {
  if (pull !== 'always') {
    const local = (await images.inspect(ref))?.id;
    if (local) return { name, ref: local, cached: true };
    if (pull === 'never') {
      throw new InfrastructureError(
        'IMAGE_NOT_FOUND',
        `Image "${ref}" is not on the engine and its pull policy is "never": build or load it first ` +
          `(\`docker build -t ${ref} …\` or \`docker load\`), or set pull: 'missing'.`,
      );
    }
  }
  await pullImage(images, ref, ctx);
  const pulled = (await images.inspect(ref))?.id;
  if (!pulled) throw pullFailed(ref, 'the engine reported success but the image is not there');
  return { name, ref: pulled, cached: false };
}

async function pullImage(images: ImagePort, ref: string, ctx: StepContext): Promise<void> {
  let failure: string | undefined;
  try {
    await images.pull(
      ref,
      (m) => {
        if (m.error) failure = m.errorDetail?.message ?? m.error;
        // Per-layer byte progress would flood the log: keep the status lines (pulling, digest, done).
        else if (m.status && !/^(Downloading|Extracting|Waiting|Verifying Checksum)/.test(m.status))
          ctx.onLog(m.status, 'stdout');
      },
      ctx.signal,
    );
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
