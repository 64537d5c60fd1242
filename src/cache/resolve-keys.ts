/**
 * Finds every selected phase's cache key before anything runs: prepares the plan's images (their
 * build steps run here, reported as usual, and are then dropped from the graph), resolves the
 * external images by content id, digests the mounted folders and combines it all (phase-key.ts).
 */
import type { Step, StepGraph } from '../compile/graph.js';
import type { ImageUse, TestPlan } from '../dsl/plan.js';
import { redact } from '../dsl/secret.js';
import type { Driver, ImageHandle, RunIdentity, StepContext } from '../drivers/driver.js';
import type { EventSink } from '../execute/events.js';
import { phaseCollectPaths } from '../execute/plan-step-runner.js';
import type { StepRecord } from '../execute/scheduler.js';
import { toPlainText } from '../text/ansi.js';
import { phaseKey, serviceKey } from './phase-key.js';
import type { TreeDigester } from './tree-digest.js';

const UNREADABLE = 'unreadable:';

export interface KeyResolution {
  /** Plan images prepared here, by name: the executor starts from these handles. */
  readonly images: ReadonlyMap<string, ImageHandle>;
  readonly keys: ReadonlyMap<string, string>;
  /** Phases without a key, and why. */
  readonly uncached: ReadonlyMap<string, string>;
  /** The build steps as they ran here, for results.json. */
  readonly records: readonly StepRecord[];
}

export interface ResolveOptions {
  readonly plan: TestPlan;
  readonly graph: StepGraph;
  readonly driver: Driver;
  readonly run: RunIdentity;
  readonly signal: AbortSignal;
  readonly onEvent: EventSink;
  readonly now: () => number;
  readonly digester: TreeDigester;
}

export async function resolveKeys(o: ResolveOptions): Promise<KeyResolution> {
  const images = new Map<string, ImageHandle>();
  const records: StepRecord[] = [];
  const buildSteps = o.graph.steps.filter((s): s is Extract<Step, { kind: 'build-image' }> => s.kind === 'build-image');
  const built = Promise.all(buildSteps.map((step) => build(o, step, images, records)));
  const refIds = new Map<string, Promise<string | undefined>>();
  const idOf = (use: ImageUse): Promise<string | undefined> => {
    if (use.kind === 'plan') return Promise.resolve(images.get(use.name)?.ref);
    let id = refIds.get(use.ref);
    if (!id) {
      id = o.driver.resolveImageRef(use.ref, context(o, use.ref)).then(
        (h) => h.ref,
        () => undefined, // the executor resolves it again and reports the failure
      );
      refIds.set(use.ref, id);
    }
    return id;
  };
  const mountDigests = new Map<string, Promise<string>>();
  const digestOf = (source: string): Promise<string> => {
    let d = mountDigests.get(source);
    if (!d) {
      // A folder that cannot be read whole (permissions) makes its phases uncacheable, never the run fail.
      d = o.digester.digest(source, [o.run.outDir]).catch((error: unknown) => {
        return `${UNREADABLE}${error instanceof Error ? error.message : String(error)}`;
      });
      mountDigests.set(source, d);
    }
    return d;
  };
  // Reading the mounted folders overlaps the builds (which mostly wait on the engine).
  for (const name of o.graph.phases) {
    const spec = o.plan.phases[name]!;
    if (spec.cache !== false) for (const m of spec.mounts) void digestOf(m.source);
  }
  for (const name of o.graph.services) for (const m of o.plan.services[name]!.mounts) void digestOf(m.source);
  await built;

  type Keyed = { key: string } | { why: string };
  const serviceKeys = new Map<string, Promise<Keyed>>();
  const keyService = (name: string): Promise<Keyed> => {
    let k = serviceKeys.get(name);
    if (!k) {
      k = (async (): Promise<Keyed> => {
        const spec = o.plan.services[name]!;
        const image = await idOf(spec.image);
        if (!image) return { why: `the image of service ${name} could not be resolved` };
        const deps = await keysOf(spec.dependsOn, keyService);
        if ('why' in deps) return deps;
        const mounts = await Promise.all(spec.mounts.map((m) => digestOf(m.source)));
        const unreadable = mounts.find((m) => m.startsWith(UNREADABLE));
        if (unreadable)
          return {
            why: `a file mounted into service ${name} could not be read: ${unreadable.slice(UNREADABLE.length)}`,
          };
        return { key: serviceKey(spec, image, deps.keys, mounts) };
      })();
      serviceKeys.set(name, k);
    }
    return k;
  };
  const phaseKeys = new Map<string, Promise<Keyed>>();
  const keyPhase = (name: string): Promise<Keyed> => {
    let k = phaseKeys.get(name);
    if (!k) {
      k = (async (): Promise<Keyed> => {
        const spec = o.plan.phases[name]!;
        if (spec.cache === false) return { why: 'cache: false in the plan' };
        // An entry holds one phase folder and its attempts; a sharded phase's evidence lives per shard.
        if (spec.shard) return { why: 'sharded phases are not cached (an entry cannot hold their shards yet)' };
        const image = await idOf(spec.image);
        if (!image) return { why: 'its image could not be resolved' };
        const needs = await keysOf(spec.needs, keyPhase);
        if ('why' in needs) return { why: `it needs ${needs.name}, which is not cached (${needs.why})` };
        const services = await keysOf(spec.services, keyService);
        if ('why' in services) return { why: services.why };
        const mounts = await Promise.all(spec.mounts.map((m) => digestOf(m.source)));
        const unreadable = mounts.find((m) => m.startsWith(UNREADABLE));
        if (unreadable) return { why: `a mounted folder could not be read: ${unreadable.slice(UNREADABLE.length)}` };
        return {
          key: phaseKey(spec, phaseCollectPaths(spec), { image, mounts, services: services.keys, needs: needs.keys }),
        };
      })();
      phaseKeys.set(name, k);
    }
    return k;
  };

  const keys = new Map<string, string>();
  const uncached = new Map<string, string>();
  for (const name of o.graph.phases) {
    const k = await keyPhase(name);
    if ('key' in k) keys.set(name, k.key);
    else uncached.set(name, k.why);
  }
  return { images, keys, uncached, records };
}

async function keysOf(
  names: readonly string[],
  keyOf: (name: string) => Promise<{ key: string } | { why: string }>,
): Promise<{ keys: Record<string, string> } | { name: string; why: string }> {
  const keys: Record<string, string> = {};
  for (const name of names) {
    const k = await keyOf(name);
    if ('why' in k) return { name, why: k.why };
    keys[name] = k.key;
  }
  return { keys };
}

function context(o: ResolveOptions, source: string, step?: Step): StepContext {
  return {
    run: o.run,
    signal: o.signal,
    onLog: (raw, stream) => {
      const line = redact(toPlainText(raw), o.plan.secrets);
      o.onEvent({
        kind: 'log',
        source,
        ...(step ? { step: { kind: 'build-image' as const, subject: stepImage(step) } } : {}),
        line,
        stream,
      });
    },
  };
}

const stepImage = (step: Step): string => (step.kind === 'build-image' ? step.image : '');

/** A build that fails here is left to the executor, which runs its step again and reports the failure as usual. */
async function build(
  o: ResolveOptions,
  step: Extract<Step, { kind: 'build-image' }>,
  images: Map<string, ImageHandle>,
  records: StepRecord[],
): Promise<void> {
  const startedAt = o.now();
  o.onEvent({ kind: 'step-started', step, at: startedAt });
  try {
    const handle = await o.driver.prepareImage(o.plan.images[step.image]!, context(o, `image ${step.image}`, step));
    images.set(step.image, handle);
    const finishedAt = o.now();
    const message = handle.cached ? 'cached' : undefined;
    records.push({ step, status: 'passed', startedAt, finishedAt, ...(message ? { message } : {}) });
    o.onEvent({
      kind: 'step-finished',
      step,
      status: 'passed',
      at: finishedAt,
      durationMs: finishedAt - startedAt,
      ...(message ? { message } : {}),
    });
  } catch {
    // left to the executor
  }
}
