/** Builds a plan image from its context with the engine's (classic) builder and layer cache. */
import { InfrastructureError } from '../../errors.js';
import type { ImageSpec } from '../../dsl/plan.js';
import type { ImageHandle, StepContext } from '../driver.js';
import { dockerfilePath, packBuildContext } from './build-context.js';
import type { ImagePort } from './engine/engine.js';
import { LineSplitter } from '../../text/line-splitter.js';
import { TailBuffer } from '../../text/tail-buffer.js';

type BuildSpec = Extract<ImageSpec, { kind: 'build' }>;

/**
 * `testplan/<plan>-<image>:latest`. Concurrent runs of one plan may retag it; they never depend on
 * the tag: the handle's ref is the image id the build produced.
 */
export function imageTag(plan: string, image: string): string {
  const repo = `${plan}-${image}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return `testplan/${repo || 'image'}:latest`;
}

export async function buildImage(images: ImagePort, spec: BuildSpec, ctx: StepContext): Promise<ImageHandle> {
  const context = await packBuildContext(spec.context, spec.dockerfile);
  const options = {
    tag: imageTag(ctx.run.plan, spec.name),
    dockerfile: context.dockerfile,
    buildArgs: spec.args,
    labels: { 'testplan.plan': ctx.run.plan, 'testplan.image': spec.name },
    signal: ctx.signal,
    ...(spec.target ? { target: spec.target } : {}),
  };
  let imageId: string | undefined;
  let ranAStep = false;
  let error: string | undefined;
  let stepLines = new TailBuffer(30);
  const lines = new LineSplitter((line) => {
    if (/^Step \d+\/\d+ :/.test(line)) stepLines = new TailBuffer(30);
    if (/^ ---> Running in /.test(line)) ranAStep = true;
    stepLines.push(line);
    ctx.onLog(line, 'stdout');
  });
  let cause: unknown;
  await images
    .build(context.tar, options, (m) => {
      if (m.stream) lines.write(m.stream);
      if (m.aux?.ID) imageId = m.aux.ID;
      if (m.error) error = m.errorDetail?.message ?? m.error;
    })
    .catch((err: unknown) => {
      cause = err;
      error = `the build failed: ${err instanceof Error ? err.message : String(err)}`;
    });
  lines.flush();

  if (error !== undefined || imageId === undefined) {
    const tail = stepLines.last();
    throw buildFailed(spec, [...tail, error ?? 'the engine reported no image id'], cause);
  }
  return { name: spec.name, ref: imageId, cached: !ranAStep };
}

function buildFailed(spec: BuildSpec, lastLines: readonly string[], cause: unknown): InfrastructureError {
  const where = `${spec.context} (dockerfile ${spec.dockerfile}${spec.target ? `, target ${spec.target}` : ''})`;
  return new InfrastructureError(
    'IMAGE_BUILD_FAILED',
    `Image "${spec.name}" failed to build from ${where}:\n` +
      lastLines.map((l) => `  | ${l}`).join('\n') +
      `\nFix the Dockerfile step above (reproduce with \`docker build ${spec.target ? `--target ${spec.target} ` : ''}-f ${dockerfilePath(spec.context, spec.dockerfile)} ${spec.context}\`).`,
    { cause },
  );
}
