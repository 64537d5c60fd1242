/** Runs a command inside a running container and returns its exit code and combined output. */
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { StreamDemuxer } from './log-lines.js';

export interface ExecResult {
  readonly exitCode: number | null;
  readonly output: string;
}

export async function execInContainer(
  docker: Dockerode,
  containerId: string,
  command: readonly string[],
  signal?: AbortSignal,
): Promise<ExecResult> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: [...command],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const chunks: Buffer[] = [];
  const demux = new StreamDemuxer((chunk) => chunks.push(Buffer.from(chunk)));
  const onAbort = () => stream.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (d: Buffer) => demux.push(d));
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (err) => (signal?.aborted ? resolve() : reject(err)));
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const info = await exec.inspect();
  return { exitCode: info.Running ? null : info.ExitCode, output: Buffer.concat(chunks).toString('utf8') };
}
