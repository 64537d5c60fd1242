/**
 * The engine port in memory, for fast tests of the Docker driver's logic (no engine needed).
 * Containers are records a test drives: `emit` output, `exit` with a code, `files` for copy-out.
 * `onStart` / `onExec` / `onBuild` / `onPull` script behaviour (a container made with `openStdin`
 * begins its work, `onStart`, at its first line of input, as a gated phase does); `failOn` makes a call fail;
 * `calls` records what the driver asked for (`kill <id>`, `remove <id>`, …).
 */
import { basename } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type {
  BuildOptions,
  ContainerSpec,
  Engine,
  ExecResult,
  ImageInfo,
  LabelSelector,
  Labelled,
  OnOutput,
  OutputStream,
  ProgressMessage,
} from '../../src/drivers/docker/engine/engine.js';
import { EngineError } from '../../src/drivers/docker/engine/engine-error.js';

export interface FakeContainer {
  readonly id: string;
  readonly spec: ContainerSpec;
  state: 'created' | 'running' | 'exited';
  exitCode: number | null;
  finishedAt?: string;
  /** Absolute path → content; a path ending in `/` is a folder. */
  readonly files: Map<string, string>;
  /** Paths of `files` that came with the image: not in the container's filesystem diff. */
  readonly baked: Set<string>;
  readonly output: { readonly chunk: Buffer; readonly stream: OutputStream }[];
  readonly listeners: Set<OnOutput>;
  readonly onExit: Set<() => void>;
  readonly addresses: Record<string, string>;
  /** What was sent to its stdin. */
  input: string;
}

type Op =
  | 'containers.create'
  | 'containers.start'
  | 'containers.inspect'
  | 'containers.attach'
  | 'containers.logs'
  | 'containers.wait'
  | 'containers.died'
  | 'containers.kill'
  | 'containers.changes'
  | 'containers.remove'
  | 'containers.list'
  | 'exec.run'
  | 'archive.read'
  | 'images.inspect'
  | 'networks.create'
  | 'networks.remove'
  | 'networks.list'
  | 'volumes.remove'
  | 'volumes.list'
  | 'system.version';

interface Resource {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export class FakeEngine implements Engine {
  readonly calls: string[] = [];
  readonly containersById = new Map<string, FakeContainer>();
  readonly networksByName = new Map<string, Resource>();
  readonly volumesByName = new Map<string, Resource & { readonly container?: string }>();
  readonly imagesByRef = new Map<string, ImageInfo>();
  /** Archive paths whose tar stream breaks after its first bytes. */
  readonly brokenArchives = new Set<string>();
  onStart: (c: FakeContainer) => void = () => undefined;
  onExec: (c: FakeContainer, command: readonly string[], signal?: AbortSignal) => ExecResult | Promise<ExecResult> =
    () => ({
      exitCode: 0,
      output: '',
    });
  onBuild: (options: BuildOptions) => ProgressMessage[] = () => [
    { stream: 'Step 1/1 : FROM scratch\n' },
    { aux: { ID: 'sha256:built' } },
  ];
  onPull: (ref: string) => ProgressMessage[] = (ref) => [{ error: `pull access denied for ${ref}` }];
  private readonly faults = new Map<Op, (arg: string) => Error | undefined>();
  private seq = 0;

  /** Makes `op` fail whenever `when(arg)` returns an error (arg: the id, name, ref or path). */
  failOn(op: Op, when: (arg: string) => Error | undefined): void {
    this.faults.set(op, when);
  }

  container(id: string): FakeContainer {
    const c = this.containersById.get(id);
    if (!c) throw new Error(`the fake has no container ${id}`);
    return c;
  }

  byName(name: string): FakeContainer | undefined {
    return [...this.containersById.values()].find((c) => c.spec.name === name);
  }

  emit(id: string, text: string, stream: OutputStream = 'stdout'): void {
    const c = this.container(id);
    const chunk = Buffer.from(text);
    c.output.push({ chunk, stream });
    for (const l of c.listeners) l(chunk, stream);
  }

  exit(id: string, code: number): void {
    const c = this.container(id);
    if (c.state === 'exited') return;
    c.state = 'exited';
    c.exitCode = code;
    c.finishedAt = new Date().toISOString();
    for (const f of [...c.onExit]) f();
  }

  private step(op: Op, arg: string): void {
    this.calls.push(`${op.split('.')[1]} ${arg}`);
    const err = this.faults.get(op)?.(arg);
    if (err) throw err;
  }

  private find(id: string): FakeContainer {
    const c = this.containersById.get(id);
    if (!c) throw new EngineError(`No such container: ${id}`, 404);
    return c;
  }

  /** Resolves when the container exits (at once if it has) or `signal` aborts (false). */
  private exited(c: FakeContainer, signal?: AbortSignal): Promise<boolean> {
    if (c.state === 'exited') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        c.onExit.delete(onExit);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onExit = () => done(true);
      const onAbort = () => done(false);
      c.onExit.add(onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  readonly containers: Engine['containers'] = {
    create: async (spec) => {
      this.step('containers.create', spec.name);
      if (this.byName(spec.name))
        throw new EngineError(`Conflict. The container name "/${spec.name}" is already in use`, 409);
      const id = `c${++this.seq}-${spec.name}`;
      this.containersById.set(id, {
        id,
        spec,
        state: 'created',
        exitCode: null,
        files: new Map(),
        baked: new Set(),
        output: [],
        listeners: new Set(),
        onExit: new Set(),
        addresses: {},
        input: '',
      });
      for (const _target of spec.anonymousVolumes) {
        const name = `v${++this.seq}`;
        this.volumesByName.set(name, { id: name, labels: { ...spec.labels }, container: id });
      }
      return id;
    },
    start: async (id) => {
      this.step('containers.start', id);
      const c = this.find(id);
      c.state = 'running';
      if (!c.spec.openStdin) this.onStart(c);
    },
    inspect: async (id) => {
      this.step('containers.inspect', id);
      const c = this.find(id);
      const published = Object.fromEntries(c.spec.publish.map((p, i) => [p, 40000 + i]));
      return {
        id,
        published,
        addresses: { ...c.addresses },
        running: c.state === 'running',
        ...(c.state === 'exited'
          ? { exited: { exitCode: c.exitCode, at: c.finishedAt ?? new Date().toISOString() } }
          : {}),
      };
    },
    attach: async (id, onOutput, options) => {
      this.step('containers.attach', id);
      const c = this.find(id);
      c.listeners.add(onOutput);
      const ended = this.exited(c).then(() => {
        c.listeners.delete(onOutput);
      });
      if (!options?.stdin || !c.spec.openStdin) return { ended };
      const send = (text: string) => {
        const first = !c.input.includes('\n');
        c.input += text;
        if (first && c.input.includes('\n') && c.state === 'running') this.onStart(c);
      };
      return { ended, send };
    },
    logs: async (id, options, onOutput) => {
      this.step('containers.logs', id);
      const c = this.find(id);
      const lines = c.output.flatMap(({ chunk, stream }) =>
        chunk
          .toString()
          .split(/(?<=\n)/)
          .map((l) => ({ chunk: Buffer.from(l), stream })),
      );
      const past = options.tail !== undefined ? lines.slice(-options.tail) : lines;
      for (const { chunk, stream } of past) onOutput(chunk, stream);
      if (!options.follow) return;
      c.listeners.add(onOutput);
      await this.exited(c, options.signal);
      c.listeners.delete(onOutput);
    },
    wait: async (id, signal) => {
      this.step('containers.wait', id);
      const c = this.find(id);
      if (!(await this.exited(c, signal))) throw new EngineError('The operation was aborted');
      return { exitCode: c.exitCode };
    },
    died: async (id, signal) => {
      this.step('containers.died', id);
      const c = this.find(id);
      if (!(await this.exited(c, signal))) throw new EngineError('The operation was aborted');
      return { exitCode: c.exitCode };
    },
    kill: async (id) => {
      this.step('containers.kill', id);
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError(`Container ${id} is not running`, 409);
      this.exit(id, 137);
    },
    changes: async (id) => {
      this.step('containers.changes', id);
      const c = this.find(id);
      return [...c.files.keys()]
        .filter((path) => !c.baked.has(path))
        .map((path) => ({ path: path.replace(/\/$/, ''), kind: 'added' as const }));
    },
    remove: async (id) => {
      this.step('containers.remove', id);
      const c = this.find(id);
      this.exit(id, c.exitCode ?? 137);
      this.containersById.delete(id);
      for (const [name, v] of this.volumesByName) if (v.container === id) this.volumesByName.delete(name);
    },
    list: async (selector) => {
      this.step('containers.list', JSON.stringify(selector));
      return select(
        [...this.containersById.values()].map((c) => ({ id: c.id, labels: c.spec.labels })),
        selector,
      );
    },
  };

  readonly exec: Engine['exec'] = {
    run: async (containerId, command, signal, onOutput) => {
      this.step('exec.run', `${containerId} ${command.join(' ')}`);
      const c = this.find(containerId);
      if (c.state !== 'running') throw new EngineError(`Container ${containerId} is not running`, 409);
      const result = await this.onExec(c, command, signal);
      if (!onOutput) return result;
      if (result.output) onOutput(Buffer.from(result.output), 'stdout');
      return { ...result, output: '' };
    },
  };

  readonly archive: Engine['archive'] = {
    read: async (containerId, path) => {
      this.step('archive.read', `${containerId} ${path}`);
      const c = this.find(containerId);
      const root = path.replace(/\/+$/, '');
      const entries = [...c.files].filter(([p]) => p === root || p.startsWith(`${root}/`));
      if (entries.length === 0) throw new EngineError(`No such container:path: ${containerId}:${path}`, 404);
      const tar = pack();
      const base = basename(root);
      for (const [p, content] of entries) {
        const name = base + p.slice(root.length);
        if (p.endsWith('/')) tar.entry({ name, type: 'directory' });
        else tar.entry({ name }, content);
      }
      tar.finalize();
      if (!this.brokenArchives.has(path)) return Readable.from(tar);
      // A stream that breaks after its first bytes, as when the engine fails mid-archive.
      const broken = new PassThrough();
      tar.once('data', (first: unknown) => {
        broken.write((first as Buffer).subarray(0, 600));
        setImmediate(() => {
          if (!broken.destroyed) broken.destroy(new Error('unexpected EOF from the engine'));
        });
      });
      return broken;
    },
  };

  readonly images: Engine['images'] = {
    inspect: async (ref) => {
      this.step('images.inspect', ref);
      return this.imagesByRef.get(ref);
    },
    build: async (_context, options, onProgress) => {
      this.calls.push(`build ${options.tag}`);
      const messages = this.onBuild(options);
      for (const m of messages) onProgress(m);
      const id = messages.find((m) => m.aux?.ID)?.aux?.ID;
      if (id) this.imagesByRef.set(id, { id, volumes: [] });
    },
    pull: async (ref, onProgress) => {
      this.calls.push(`pull ${ref}`);
      const messages = this.onPull(ref);
      for (const m of messages) onProgress(m);
      if (!messages.some((m) => m.error)) this.imagesByRef.set(ref, { id: `sha256:${ref}`, volumes: [] });
    },
  };

  readonly networks: Engine['networks'] = {
    create: async (name, labels) => {
      this.step('networks.create', name);
      if (this.networksByName.has(name)) throw new EngineError(`network with name ${name} already exists`, 409);
      this.networksByName.set(name, { id: name, labels: { ...labels } });
    },
    remove: async (name) => {
      this.step('networks.remove', name);
      if (!this.networksByName.delete(name)) throw new EngineError(`network ${name} not found`, 404);
    },
    list: async (selector) => {
      this.step('networks.list', JSON.stringify(selector));
      return select([...this.networksByName.values()], selector);
    },
  };

  readonly volumes: Engine['volumes'] = {
    remove: async (name) => {
      this.step('volumes.remove', name);
      if (!this.volumesByName.delete(name)) throw new EngineError(`get ${name}: no such volume`, 404);
    },
    list: async (selector) => {
      this.step('volumes.list', JSON.stringify(selector));
      return select([...this.volumesByName.values()], selector);
    },
  };

  readonly system: Engine['system'] = {
    version: async () => {
      this.step('system.version', '');
      return { version: '99.0.0-fake', apiVersion: '1.99' };
    },
  };
}

function select(items: readonly Resource[], selector: LabelSelector): Labelled[] {
  return items
    .filter((r) => Object.entries(selector).every(([k, v]) => (v === undefined ? k in r.labels : r.labels[k] === v)))
    .map((r) => ({ id: r.id, labels: { ...r.labels } }));
}
