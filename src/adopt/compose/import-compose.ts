/**
 * A docker-compose file → a plan draft. Long-running services stay services (with ready probes from
 * their health checks); a one-shot test runner becomes a phase whose command writes its evidence to
 * /out. Every key with no plan equivalent is carried as a comment and reported as a warning.
 */
import { basename } from 'node:path';
import { AdoptError } from '../adopt-error.js';
import { Draft, type DraftObject, type DraftPath } from '../plan/draft.js';
import { addGatesAndCriteria } from '../plan/skeleton.js';
import { looksLikeTests, withEvidence } from '../evidence-flags.js';
import { joinShellWords, splitShellWords } from '../shell-words.js';
import type { CoverageThresholds } from '../../dsl/types.js';
import { readComposeFile, isMap, type YamlMap } from './compose-file.js';
import { addReadyProbe } from './healthcheck.js';
import { dependsOn, environmentOf, imageOf, portsOf, stringList, volumesOf, type Sink } from './service-parts.js';

export interface ImportOptions {
  /** Absolute folder the plan will be written to: paths in the plan are relative to it. */
  readonly planDir: string;
  readonly name?: string;
  /** `plan init`: a compose file without a runner still gives its services; init adds phases and criteria. */
  readonly servicesOnly?: boolean;
}

const SERVICE_KEYS = new Set([
  'image',
  'build',
  'environment',
  'env_file',
  'command',
  'healthcheck',
  'depends_on',
  'profiles',
  'ports',
  'expose',
  'volumes',
]);
const PHASE_KEYS = new Set([...SERVICE_KEYS, 'working_dir', 'entrypoint']);
const HARMLESS = new Set(['container_name', 'restart', 'networks', 'stdin_open', 'tty', 'init', 'hostname']);
const TEST_PROFILES = new Set(['test', 'tests', 'testing', 'ci']);

export function importCompose(file: string, options: ImportOptions): Draft {
  const compose = readComposeFile(file);
  const planDir = options.planDir;
  const name = options.name ?? planNameFrom(compose.topLevel.name, compose.dir);
  const draft = new Draft(name);
  draft.header.push(
    `Imported from ${basename(file)} by \`plan import compose\`.`,
    'Lines marked `guess:` and `not mapped:` are worth a look.',
  );

  for (const v of compose.interpolation.required)
    draft.warn([], `\${${v}} is required by the compose file and not set in .env: it is empty here`);
  for (const v of compose.interpolation.unset)
    draft.warn([], `\${${v}} is not set in .env: compose would take it from the shell; it is empty in the plan`);
  for (const v of compose.interpolation.defaulted)
    draft.guess([], `\${${v}} took its default; compose would prefer $${v} from the shell`);
  for (const key of Object.keys(compose.topLevel)) {
    if (key === 'version' || key === 'name') continue;
    draft.warn(
      [],
      `top-level ${key}: ${key.startsWith('x-') ? 'an extension; anchors from it are applied, the block itself is not' : 'no equivalent (the plan makes one network per run and fresh volumes)'}`,
    );
  }

  const depended = new Set<string>();
  const completed = new Set<string>();
  for (const svc of Object.values(compose.services)) {
    for (const [dep, condition] of dependsOn(svc))
      (condition === 'service_completed_successfully' ? completed : depended).add(dep);
  }
  // A one-shot others wait to complete (migrations, seeding) is a phase they need, not a service.
  const runners = new Set(
    Object.entries(compose.services)
      .filter(([n, s]) => completed.has(n) || isRunner(n, s, depended))
      .map(([n]) => n),
  );
  if (runners.size === 0 && !options.servicesOnly) {
    throw new AdoptError(
      `${file}: no one-shot test runner found (a service nothing depends on that runs tests, or one in a 'test' profile). ` +
        'Add one (e.g. `tests: { build: ., command: pytest, depends_on: [db] }`) and import again.',
    );
  }

  const thresholds: CoverageThresholds[] = [];
  for (const [svcName, svc] of Object.entries(compose.services)) {
    const kind = runners.has(svcName) ? 'phases' : 'services';
    const base: DraftPath = [kind, svcName];
    const sink: Sink = { guess: (t) => draft.guess(base, t), warn: (t) => draft.warn(base, t) };
    const image = imageOf(svcName, svc, compose.dir, planDir, sink);
    const entry: DraftObject = { image: image.image ? addImage(draft, svcName, image.image) : image.ref };
    const env = environmentOf(svc, compose.dir, sink);
    const deps = dependsOn(svc);
    const profiles = stringList(svc.profiles);
    const volumes = volumesOf(svc, compose.dir, planDir);
    for (const other of volumes.others)
      draft.warn(base, `volume ${other}: the plan gives each run fresh anonymous volumes`);

    if (kind === 'services') {
      const command = commandWords(svc.command);
      if (command) entry.command = command;
      if (env) entry.env = env;
      const ports = portsOf(svc, sink);
      if (ports.length > 0) entry.ports = ports;
      addReadyProbe(
        draft,
        base,
        entry,
        isMap(svc.healthcheck) ? (svc.healthcheck as never) : undefined,
        env,
        'no healthcheck',
      );
      const serviceDeps = [...deps.keys()].filter((d) => !runners.has(d));
      if (serviceDeps.length > 0) entry.dependsOn = serviceDeps;
      if (profiles.length > 0) entry.profiles = profiles;
      if (svc.entrypoint !== undefined)
        draft.warn(
          base,
          `entrypoint ${JSON.stringify(svc.entrypoint)}: a service runs its image's entrypoint; build an image with this entrypoint`,
        );
      if (volumes.binds.length > 0) entry.mounts = mountsOf(volumes.binds);
    } else {
      const command = runCommand(svc, draft, base);
      const evidence = withEvidence(command);
      entry.run = evidence.run;
      if (evidence.runner)
        draft.found(
          base,
          `${evidence.runner} runner: results${evidence.coverage ? ' and coverage' : ''} are written to /out`,
        );
      else if (completed.has(svcName))
        draft.found(base, 'a one-shot the runner waits for (service_completed_successfully): a phase it needs');
      else
        draft.guess(
          [...base, 'run'],
          'no known test runner in the command: set results: { junit } or { tap } to the file it writes',
        );
      evidence.guesses.forEach((g) => draft.guess([...base, 'run'], g));
      if (env) entry.env = env;
      if (typeof svc.working_dir === 'string') entry.workdir = svc.working_dir;
      if (volumes.binds.length > 0) entry.mounts = mountsOf(volumes.binds);
      const services = [...deps.keys()].filter((d) => !runners.has(d));
      const needs = [...deps.keys()].filter((d) => runners.has(d));
      if (services.length > 0) entry.services = services;
      if (needs.length > 0) entry.needs = needs;
      for (const [dep, condition] of deps) {
        if (condition === 'service_started' && !runners.has(dep))
          draft.guess(
            [...base, 'services'],
            `${dep} was depends_on without a condition; the phase waits for its ready probe`,
          );
      }
      const kept = profiles.filter((p) => !TEST_PROFILES.has(p));
      if (kept.length < profiles.length)
        draft.guess(
          base,
          `profile ${profiles.filter((p) => TEST_PROFILES.has(p)).join(', ')} dropped: compose needed it to start the runner; a phase runs by default`,
        );
      if (kept.length > 0) entry.profiles = kept;
      if (evidence.results) entry.results = evidence.results;
      if (evidence.coverage) entry.coverage = evidence.coverage;
      thresholds.push(evidence.thresholds);
      if (svc.ports !== undefined) draft.warn(base, 'ports on a test runner: a phase publishes none');
    }
    for (const key of Object.keys(svc)) {
      if ((kind === 'phases' ? PHASE_KEYS : SERVICE_KEYS).has(key)) continue;
      const why = key.startsWith('x-')
        ? 'an extension'
        : HARMLESS.has(key)
          ? 'the plan names and wires containers itself'
          : 'no equivalent in the plan';
      draft.warn(base, `${key}: ${JSON.stringify(svc[key])} (${why})`);
    }
    draft.set(base, entry);
  }

  const services = Object.keys(compose.services).filter((n) => !runners.has(n));
  if (services.length > 0)
    draft.found(['services'], services.map((n) => describeService(n, compose.services[n]!)).join(', '));
  const merged = Object.assign({}, ...thresholds) as CoverageThresholds;
  if (options.servicesOnly) return draft;
  addGatesAndCriteria(
    draft,
    Object.keys(merged).length > 0 ? { coverage: { thresholds: merged, source: 'the runner command' } } : {},
  );
  return draft;
}

/** One images entry per distinct build: services built from the same context and target share it. */
function addImage(draft: Draft, name: string, image: DraftObject): string {
  const images = (draft.get(['images']) ?? {}) as DraftObject;
  const same = Object.entries(images).find(([, existing]) => JSON.stringify(existing) === JSON.stringify(image));
  if (same) return same[0];
  draft.set(['images', name], image);
  return name;
}

function isRunner(name: string, svc: YamlMap, depended: ReadonlySet<string>): boolean {
  if (stringList(svc.profiles).some((p) => TEST_PROFILES.has(p))) return true;
  if (depended.has(name) || svc.healthcheck !== undefined) return false;
  const command = [svc.entrypoint, svc.command]
    .map((c) => (Array.isArray(c) ? joinShellWords(c.map(String)) : c === undefined || c === null ? '' : String(c)))
    .join(' ');
  if (looksLikeTests(command)) return true;
  return (
    /(^|[-_])(tests?|runner|e2e|integration|spec)([-_]|$)/.test(name) &&
    svc.ports === undefined &&
    svc.expose === undefined
  );
}

/** A compose string command is split into words (no shell), as compose does. */
function commandWords(command: unknown): string[] | undefined {
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return splitShellWords(command);
  return undefined;
}

/** The runner's entrypoint + command as one shell line, so evidence flags can be added to it. */
function runCommand(svc: YamlMap, draft: Draft, base: DraftPath): string {
  const entrypoint = commandWords(svc.entrypoint) ?? [];
  const command = svc.command;
  let line: string;
  if (typeof command === 'string' && entrypoint.length === 0) line = command;
  else line = joinShellWords([...entrypoint, ...(commandWords(command) ?? [])]);
  if (line.trim() === '') {
    draft.warn(
      [...base, 'run'],
      "no command: compose ran the image's CMD, which the importer cannot see; write the test command",
    );
    return 'echo "TODO: the test command" && exit 1';
  }
  if (entrypoint.length > 0)
    draft.guess(
      [...base, 'run'],
      "entrypoint and command joined into run (run goes through sh -c after the image's entrypoint)",
    );
  return line;
}

function describeService(name: string, svc: YamlMap): string {
  const profiles = stringList(svc.profiles);
  return `${name}${isMap(svc.healthcheck) ? ' (health-checked' : ' (no healthcheck'}${profiles.length > 0 ? `, profile ${profiles.join(', ')}` : ''})`;
}

function planNameFrom(name: unknown, dir: string): string {
  const raw = typeof name === 'string' && name ? name : basename(dir);
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'imported'
  );
}

/** Compose bind mounts (init scripts, config files, sources) → `mounts`, for services and phases alike. */
function mountsOf(binds: readonly { source: string; target: string; readOnly: boolean }[]): DraftObject[] {
  return binds.map((b) => ({ source: b.source, target: b.target, ...(b.readOnly ? { readOnly: true } : {}) }));
}
