/** A valid `PlanInput` → the `TestPlan` the engine runs. Only called once every rule passed. */
import { isAbsolute, resolve } from 'node:path';
import type {
  CommandCheckInput,
  MountInput,
  CriterionInput,
  EnvInput,
  ImageInput,
  PhaseInput,
  PlanInput,
  ResultsInput,
  ServiceInput,
  ShardInput,
} from '../types.js';
import type {
  CommandCheckSpec,
  CriterionSpec,
  EnvSpec,
  EnvValueSpec,
  GatesSpec,
  ImageSpec,
  ImageUse,
  MountSpec,
  PhaseSpec,
  ServiceSpec,
  ShardSpec,
  TestPlan,
} from '../plan.js';
import { DEFAULT_SETUP_TIMEOUT_MS } from '../plan.js';
import { Secret } from '../secret.js';
import { parseDuration } from '../duration.js';
import { withDefaultTag } from '../image-ref.js';
import { formatPath, type Path } from './problems.js';
import { normaliseProbe, toCommand } from './normalise-probe.js';
import { servicePorts } from './rule-values.js';

type Input = PlanInput<string, string, string>;

interface Normaliser {
  readonly plan: Input;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: Secret[];
}

const ms = (duration: string | undefined): number | undefined =>
  duration === undefined ? undefined : parseDuration(duration);
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });

function imageUse(n: Normaliser, ref: string): ImageUse {
  return n.plan.images && Object.hasOwn(n.plan.images, ref)
    ? { kind: 'plan', name: ref }
    : { kind: 'ref', ref: withDefaultTag(ref) };
}

function env(n: Normaliser, input: EnvInput | undefined, path: Path): EnvSpec {
  const out: Record<string, EnvValueSpec> = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    if (typeof value !== 'object') {
      out[key] = String(value);
      continue;
    }
    const text = 'secret' in value ? value.secret : (n.env[value.secretFromEnv] ?? '');
    const secret = new Secret(text, formatPath([...path, key]));
    n.secrets.push(secret);
    out[key] = secret;
  }
  return out;
}

function image(n: Normaliser, name: string, input: ImageInput): ImageSpec {
  if ('ref' in input) return { kind: 'ref', name, ref: withDefaultTag(input.ref), pull: input.pull ?? 'missing' };
  const { context, dockerfile = 'Dockerfile', target, args = {} } = input.build;
  return {
    kind: 'build',
    name,
    context: resolve(n.dir, context),
    dockerfile,
    ...optional('target', target),
    args: { ...args },
  };
}

/** Phase and service mounts alike: a relative `source` is relative to the plan file's folder. */
function mounts(n: Normaliser, input: readonly MountInput[] | undefined): MountSpec[] {
  return (input ?? []).map((m) => ({
    source: isAbsolute(m.source) ? m.source : resolve(n.dir, m.source),
    target: m.target,
    readOnly: m.readOnly ?? false,
  }));
}

function service(n: Normaliser, name: string, input: ServiceInput<string, string>): ServiceSpec {
  const path = ['services', name];
  return {
    name,
    image: imageUse(n, input.image),
    ...optional('command', input.command === undefined ? undefined : toCommand(input.command)),
    env: env(n, input.env, [...path, 'env']),
    ports: servicePorts(input),
    ...optional('ready', input.ready === undefined ? undefined : normaliseProbe(input.ready)),
    dependsOn: [...(input.dependsOn ?? [])],
    profiles: [...(input.profiles ?? [])],
    mounts: mounts(n, input.mounts),
    setup: (input.setup ?? []).map(toCommand),
    setupTimeoutMs: ms(input.setupTimeout) ?? DEFAULT_SETUP_TIMEOUT_MS,
    scope: input.scope ?? 'run',
    scopeWritten: input.scope !== undefined,
    exclusive: input.exclusive ?? false,
    ...optional(
      'local',
      input.local === undefined
        ? undefined
        : { command: input.local.command, env: env(n, input.local.env, [...path, 'local', 'env']) },
    ),
  };
}

function phase(n: Normaliser, name: string, input: PhaseInput<string, string, string>): PhaseSpec {
  const results = input.results === undefined ? undefined : normaliseResults(input.results);
  return {
    name,
    image: imageUse(n, input.image),
    command: toCommand(input.run),
    env: env(n, input.env, ['phases', name, 'env']),
    ...optional('workdir', input.workdir),
    mounts: mounts(n, input.mounts),
    services: [...(input.services ?? [])],
    localhost: input.localhost ?? false,
    needs: [...(input.needs ?? [])],
    after: [...(input.after ?? [])],
    ...optional('timeoutMs', ms(input.timeout)),
    retries: input.retries ?? 0,
    ...optional('results', results),
    ...optional(
      'coverage',
      input.coverage && {
        format: input.coverage.format,
        path: input.coverage.path,
        pathMap: { ...input.coverage.pathMap },
      },
    ),
    artifacts: [...(input.artifacts ?? [])],
    profiles: [...(input.profiles ?? [])],
    ...optional('local', input.local && { ...input.local }),
    ...optional('shard', input.shard === undefined ? undefined : shardSpec(input.shard)),
    ...optional('cache', input.cache),
  };
}

function shardSpec(input: ShardInput): ShardSpec {
  return typeof input === 'number' ? { count: input } : { count: input.count, ...optional('files', input.files) };
}

function check(n: Normaliser, name: string, input: CommandCheckInput<string>, path: Path): CommandCheckSpec {
  return {
    name,
    image: imageUse(n, input.image),
    command: toCommand(input.run),
    env: env(n, input.env, [...path, 'env']),
    ...optional('timeoutMs', ms(input.timeout)),
  };
}

function gates(n: Normaliser, checks: Record<string, CommandCheckSpec>): GatesSpec {
  const input = n.plan.gates ?? {};
  const commands: Record<string, CommandCheckSpec> = {};
  for (const [name, command] of Object.entries(input.commands ?? {})) {
    commands[name] = checks[`gate:${name}`] = check(n, `gate:${name}`, command, ['gates', 'commands', name]);
  }
  const { phases: phaseCoverage = {}, changed, ...coverage } = input.coverage ?? {};
  const phasesMs = Object.fromEntries(
    Object.entries(input.duration?.phases ?? {}).map(([phase, d]) => [phase, ms(d) ?? 0]),
  );
  return {
    ...optional('coverage', input.coverage && coverage),
    phaseCoverage: Object.fromEntries(
      Object.entries(phaseCoverage).filter(([, t]) => t !== undefined),
    ) as GatesSpec['phaseCoverage'],
    ...optional('changedLines', changed && { ...changed }),
    ...optional('tests', input.tests && { ...input.tests }),
    ...optional('duration', input.duration && { ...optional('maxMs', ms(input.duration.max)), phasesMs }),
    commands,
  };
}

function criterion(
  n: Normaliser,
  input: CriterionInput<string, string>,
  index: number,
  checks: Record<string, CommandCheckSpec>,
): CriterionSpec {
  const { phases, tests, gates: gateNames, command } = input.verifiedBy;
  const checkName = `criterion:${input.id}`;
  if (command) checks[checkName] = check(n, checkName, command, ['acceptance', index, 'verifiedBy', 'command']);
  return {
    id: input.id,
    requirement: input.requirement,
    kind: input.kind ?? 'functional',
    verifiedBy: {
      ...optional('phases', phases && [...phases]),
      ...optional('tests', tests === undefined ? undefined : typeof tests === 'string' ? new RegExp(tests) : tests),
      ...optional('gates', gateNames && [...gateNames]),
      ...optional('command', command && checkName),
    },
  };
}

const mapRecord = <T, U>(
  record: Readonly<Record<string, T>> | undefined,
  fn: (name: string, value: T) => U,
): Record<string, U> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([name, value]) => [name, fn(name, value)]));

export function normalise(plan: Input, source: { file: string; dir: string }, processEnv: NodeJS.ProcessEnv): TestPlan {
  const n: Normaliser = { plan, dir: source.dir, env: processEnv, secrets: [] };
  const checks: Record<string, CommandCheckSpec> = {};
  const services = mapRecord(plan.services, (name, s) => service(n, name, s));
  const phases = mapRecord(plan.phases, (name, p) => phase(n, name, p));
  const gateSpec = gates(n, checks);
  const acceptance = (plan.acceptance ?? []).map((c, i) => criterion(n, c, i, checks));
  return {
    name: plan.name,
    ...optional('description', plan.description),
    ...optional('concurrency', plan.concurrency),
    file: source.file,
    dir: source.dir,
    images: mapRecord(plan.images, (name, i) => image(n, name, i)),
    services,
    phases,
    gates: gateSpec,
    checks,
    acceptance,
    secrets: n.secrets,
  };
}

function normaliseResults(input: ResultsInput): NonNullable<PhaseSpec['results']> {
  if ('junit' in input) return { format: 'junit', path: input.junit };
  if ('tap' in input) return { format: 'tap', path: input.tap };
  const { source, ...spec } = input.text;
  const text =
    spec.preset !== undefined
      ? { preset: spec.preset }
      : {
          pass: spec.pass!,
          fail: spec.fail!,
          ...(spec.skip === undefined ? {} : { skip: spec.skip }),
          ...(spec.file === undefined ? {} : { file: spec.file }),
        };
  return { format: 'text', text, ...(source === undefined || source === 'output' ? {} : { path: source }) };
}
