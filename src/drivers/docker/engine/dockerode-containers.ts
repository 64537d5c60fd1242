/** Containers and exec on dockerode: output demultiplexed by docker-modem, errors as `EngineError`. */
import type Dockerode from 'dockerode';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createOptions } from './dockerode-create-options.js';
import { engineCall, labelFilter, toLabelled } from './dockerode-calls.js';
import type { ContainerPort, ExecPort, OnOutput, OutputStream } from './engine.js';

type Modem = Dockerode['modem'];

export function dockerodeContainers(docker: Dockerode): ContainerPort {
  const container = (id: string) => docker.getContainer(id);
  return {
    create: (spec) => engineCall(async () => (await docker.createContainer(createOptions(spec))).id),
    start: (id) => engineCall(() => container(id).start()),
    inspect: (id) =>
      engineCall(async () => {
        const info = await container(id).inspect();
        const published: Record<number, number> = {};
        for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
          const hostPort = bindings?.[0]?.HostPort;
          if (hostPort) published[Number.parseInt(key, 10)] = Number.parseInt(hostPort, 10);
        }
        const addresses: Record<string, string> = {};
        for (const [name, net] of Object.entries(info.NetworkSettings.Networks ?? {})) {
          if (net.IPAddress) addresses[name] = net.IPAddress;
        }
        const state = info.State;
        const finished =
          !state.Running && !state.Restarting && state.FinishedAt && !state.FinishedAt.startsWith('0001-');
        return {
          id: info.Id,
          published,
          addresses,
          running: state.Running,
          ...overlayUpperDir(info.GraphDriver),
          ...(finished
            ? {
                exited: {
                  exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : null,
                  at: new Date(state.FinishedAt).toISOString(),
                },
              }
            : {}),
        };
      }),
    attach: (id, onOutput, options) =>
      engineCall(async () => {
        if (!options?.stdin) {
          const stream = await container(id).attach({ stream: true, stdout: true, stderr: true });
          return { ended: demuxInto(docker.modem, stream, onOutput) };
        }
        // Hijacked: one connection carries stdin up and the multiplexed output down.
        const stream = (await container(id).attach({
          stream: true,
          stdin: true,
          stdout: true,
          stderr: true,
          hijack: true,
        })) as NodeJS.ReadWriteStream;
        return { ended: demuxInto(docker.modem, stream, onOutput), send: (text: string) => void stream.write(text) };
      }),
    logs: (id, options, onOutput) =>
      engineCall(async () => {
        const base = { stdout: true, stderr: true, ...(options.tail !== undefined ? { tail: options.tail } : {}) };
        if (!options.follow) {
          const raw = await container(id).logs({ ...base, follow: false });
          demuxBuffer(docker.modem, raw, onOutput);
          return;
        }
        const signal = options.signal;
        const stream = await container(id).logs({ ...base, follow: true, ...(signal ? { abortSignal: signal } : {}) });
        const stop = () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        signal?.addEventListener('abort', stop, { once: true });
        if (signal?.aborted) stop();
        try {
          await demuxInto(docker.modem, stream, onOutput);
        } finally {
          signal?.removeEventListener('abort', stop);
        }
      }),
    wait: (id, signal) =>
      engineCall(async () => {
        const r = (await container(id).wait({
          condition: 'not-running',
          ...(signal ? { abortSignal: signal } : {}),
        })) as {
          StatusCode?: unknown;
        };
        return { exitCode: typeof r.StatusCode === 'number' ? r.StatusCode : null };
      }),
    died: (id, signal) =>
      engineCall(async () => {
        const stream = (await docker.getEvents({
          // Since the epoch: the engine replays what its event buffer holds, so a die before this call counts.
          since: 1,
          filters: { type: ['container'], container: [id], event: ['die'] },
          ...(signal ? { abortSignal: signal } : {}),
        })) as NodeJS.ReadableStream & { destroy(): void };
        try {
          return await firstDie(stream, signal);
        } finally {
          stream.destroy();
        }
      }),
    kill: (id) => engineCall(() => container(id).kill()),
    changes: (id) =>
      engineCall(async () => {
        // An empty diff comes back as the raw body `null`, which dockerode leaves unparsed.
        const raw: unknown = await container(id).changes();
        const parsed: unknown = Buffer.isBuffer(raw) || typeof raw === 'string' ? JSON.parse(raw.toString()) : raw;
        const diff = (Array.isArray(parsed) ? parsed : []) as { Path: string; Kind: number }[];
        return diff.map(
          (c) => ({ path: c.Path, kind: c.Kind === 1 ? 'added' : c.Kind === 2 ? 'deleted' : 'changed' }) as const,
        );
      }),
    remove: (id) => engineCall(() => container(id).remove({ force: true, v: true })),
    list: (selector) =>
      engineCall(async () =>
        (await docker.listContainers({ all: true, filters: labelFilter(selector) })).map((c) =>
          toLabelled(c.Id, c.Labels),
        ),
      ),
  };
}

export function dockerodeExec(docker: Dockerode): ExecPort {
  return {
    run: (containerId, command, signal, onOutput) =>
      engineCall(async () => {
        const exec = await docker
          .getContainer(containerId)
          .exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        const chunks: Buffer[] = [];
        const onAbort = () => stream.destroy();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await demuxInto(docker.modem, stream, onOutput ?? ((chunk) => chunks.push(Buffer.from(chunk))));
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
        const info = await exec.inspect();
        return { exitCode: info.Running ? null : info.ExitCode, output: Buffer.concat(chunks).toString('utf8') };
      }),
  };
}

/** The exit code of the first `die` event on the engine's event stream (JSON objects, one per line). */
export function firstDie(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<{ exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    let pending = '';
    stream.setEncoding('utf8'); // a character split between chunks stays whole
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseEvent(line);
        if (event?.Action !== 'die') continue;
        // An engine that leaves the code out (not Docker's) is left to wait, which has it.
        const code = Number.parseInt(event.Actor?.Attributes?.exitCode ?? '', 10);
        if (!Number.isNaN(code)) resolve({ exitCode: code });
      }
    });
    const ended = () => reject(new Error(signal?.aborted ? 'The operation was aborted' : 'the event stream ended'));
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', reject);
  });
}

function parseEvent(line: string): { Action?: string; Actor?: { Attributes?: Record<string, string> } } | undefined {
  try {
    return line.trim() ? (JSON.parse(line) as ReturnType<typeof parseEvent>) : undefined;
  } catch {
    return undefined;
  }
}

/** Feeds the engine's multiplexed stream (no TTY) to `onOutput`; settles when the stream ends, closes or fails. */
function demuxInto(modem: Modem, stream: NodeJS.ReadableStream, onOutput: OnOutput): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
  modem.demuxStream(stream, sink('stdout', onOutput), sink('stderr', onOutput));
  return ended;
}

/** The non-follow log comes as one buffer of the same frames: the demuxer takes it as one 'data' event. */
function demuxBuffer(modem: Modem, raw: Buffer | string, onOutput: OnOutput): void {
  const source = new EventEmitter();
  modem.demuxStream(source as unknown as NodeJS.ReadableStream, sink('stdout', onOutput), sink('stderr', onOutput));
  source.emit('data', Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
}

/** Called synchronously per write (the callback is too), so chunks keep their order with the stream's end. */
function sink(name: OutputStream, onOutput: OnOutput): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      onOutput(chunk, name);
      done();
    },
  });
}

/** overlay2 names the container's writable layer in `GraphDriver.Data.UpperDir` (untyped in @types/dockerode). */
function overlayUpperDir(driver: { Name?: string; Data?: unknown } | undefined): { upperDir?: string } {
  const upperDir = (driver?.Data as Record<string, unknown> | undefined)?.UpperDir;
  return driver?.Name === 'overlay2' && typeof upperDir === 'string' ? { upperDir } : {};
}
