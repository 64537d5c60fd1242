/**
 * One job of a GitHub Actions workflow → a plan draft: the job's `services:` become services with
 * ready probes from their `--health-*` options; `run:` steps that test become phases (in the job's
 * `container:` image, with the checkout mounted at /workspace); coverage thresholds checked by steps
 * become gates; every other step is listed as a comment.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { AdoptError } from '../adopt-error.js';
import { Draft, type DraftObject, type DraftPath } from '../plan/draft.js';
import { addGatesAndCriteria } from '../plan/skeleton.js';
import { looksLikeTests, thresholdsIn, withEvidence } from '../evidence-flags.js';
import { addReadyProbe } from '../compose/healthcheck.js';
import { fromPlan, SECRET_NAME } from '../compose/service-parts.js';
import { isMap, type Yaml, type YamlMap } from '../compose/compose-file.js';
import type { CoverageThresholds } from '../../dsl/types.js';
import { mapValue, substitute, WORKSPACE, type ExpressionSink } from './expressions.js';
import { parseServiceOptions } from './service-options.js';

export interface WorkflowImportOptions {
  readonly planDir: string;
  /** The repository the workflow checks out (mounted into phases). */
  readonly repoDir: string;
  readonly job?: string;
  readonly name?: string;
  /** `plan init`: services (and the test step's env) only; init adds phases and criteria. */
  readonly servicesOnly?: boolean;
}

export function importWorkflow(file: string, options: WorkflowImportOptions): Draft {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AdoptError(
      `${file}: not a readable YAML file (${(error as Error).message}). Pass a workflow from .github/workflows/.`,
    );
  }
  if (!isMap(doc) || !isMap(doc.jobs))
    throw new AdoptError(`${file}: no 'jobs:' map. Pass a GitHub Actions workflow from .github/workflows/.`);
  const [jobName, job] = pickJob(file, doc.jobs, options.job);
  const draft = new Draft(options.name ?? slug(`${basename(file).replace(/\.ya?ml$/, '')}-${jobName}`));
  draft.header.push(
    `Imported from ${basename(file)}, job ${jobName}, by \`plan import github-actions\`.`,
    'Lines marked `guess:` and `not mapped:` are worth a look.',
  );

  const env: Record<string, string> = {};
  const rootSink = sinkAt(draft, []);
  const envMap = (raw: Yaml, path: DraftPath): DraftObject => {
    const out: DraftObject = {};
    const sink = sinkAt(draft, path);
    for (const [key, value] of Object.entries(isMap(raw) ? raw : {})) {
      const mapped = mapValue(key, value, env, sink);
      out[key] = mapped;
      if (typeof mapped === 'string') env[key] = mapped;
      if (typeof mapped === 'string' && SECRET_NAME.test(key) && mapped !== '')
        sink.guess(`${key} is a literal in the workflow; consider secret(…) or secretFromEnv(…)`);
    }
    return out;
  };
  const workflowEnv = envMap(doc.env, []);
  const jobEnv = envMap(job.env, []);
  if (job.strategy !== undefined)
    draft.warn([], `strategy ${JSON.stringify(job.strategy)}: a plan runs once; matrix values are not expanded`);

  for (const [name, raw] of Object.entries(isMap(job.services) ? job.services : {})) {
    const svc = isMap(raw) ? raw : { image: raw };
    const base: DraftPath = ['services', name];
    const sink = sinkAt(draft, base);
    const entry: DraftObject = { image: imageRef(substitute(String(svc.image ?? ''), env, sink), sink) };
    const svcEnv = envMap(svc.env, base);
    if (Object.keys(svcEnv).length > 0) entry.env = svcEnv;
    const ports = (Array.isArray(svc.ports) ? svc.ports : [])
      .map((p) =>
        Number(
          String(p)
            .split(':')
            .pop()
            ?.replace(/\/\w+$/, ''),
        ),
      )
      .filter((p) => Number.isInteger(p) && p > 0);
    if (ports.length > 0) entry.ports = ports;
    const opts = parseServiceOptions(substitute(String(svc.options ?? ''), env, sink));
    addReadyProbe(draft, base, entry, opts.healthcheck, svcEnv, 'no --health-cmd');
    for (const other of opts.other) draft.warn(base, `option ${other}: no equivalent`);
    for (const key of Object.keys(svc).filter((k) => !['image', 'env', 'ports', 'options'].includes(k)))
      draft.warn(base, `${key}: no equivalent`);
    draft.set(base, entry);
  }
  const serviceNames = Object.keys(isMap(job.services) ? job.services : {});
  if (serviceNames.length > 0) draft.found(['services'], `job ${jobName}: ${serviceNames.join(', ')}`);

  const container = isMap(job.container)
    ? job.container
    : job.container !== undefined
      ? { image: job.container }
      : undefined;
  let phaseImage: string;
  const containerEnv = container ? envMap(container.env, []) : {};
  if (container) {
    phaseImage = imageRef(substitute(String(container.image ?? ''), env, rootSink), rootSink);
    draft.found([], `container job: phases run in ${phaseImage}, services are reached by name as in the workflow`);
    if (container.options !== undefined)
      draft.warn([], `container options ${JSON.stringify(container.options)}: no equivalent`);
  } else {
    phaseImage = guessRunnerImage(job.steps);
    draft.guess(
      [],
      `the job runs on the runner (${String(job['runs-on'] ?? '?')}); phases run in ${phaseImage} with localhost: true, so localhost:<port> still reaches the services`,
    );
  }

  const workingDirectory =
    isMap(job.defaults) && isMap(job.defaults.run) ? job.defaults.run['working-directory'] : undefined;
  const phases: string[] = [];
  const thresholds: CoverageThresholds[] = [];
  let checkout = false;
  const steps = Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
  steps.forEach((step, index) => {
    const label = String(
      step.name ?? step.uses ?? (typeof step.run === 'string' ? step.run.split('\n')[0] : `step ${index + 1}`),
    );
    if (typeof step.uses === 'string') {
      if (/^actions\/checkout@/.test(step.uses)) checkout = true;
      else
        draft.warn(
          [],
          `step '${label}' (uses ${step.uses}): not mapped; a plan collects results, coverage and artifacts itself`,
        );
      return;
    }
    if (typeof step.run !== 'string') return;
    const script = substitute(step.run.trim(), env, sinkAt(draft, []));
    const found = thresholdsIn(script);
    const checked = Object.keys(found).length > 0 ? found : scriptThreshold(script);
    if (!looksLikeTests(script)) {
      if (checked) {
        thresholds.push(checked);
        draft.found(['gates'], `step '${label}' checks coverage: it is the coverage gate`);
      } else {
        draft.warn(
          [],
          `step '${label}' (\`${script.split('\n')[0]}\`): not mapped; bake setup into the phase image or add it to a phase's run`,
        );
      }
      return;
    }
    const name = uniqueName(slug(String(step.name ?? 'tests')), phases);
    const base: DraftPath = ['phases', name];
    const evidence = withEvidence(script.includes('\n') ? `set -e\n${script}` : script);
    // GitHub runs a step with `bash -e -o pipefail` where the image has bash: `pytest | tee log` fails when pytest fails.
    const pipefail = /[^|]\|[^|]/.test(script);
    if (pipefail)
      draft.guess(
        [...base, 'run'],
        'runs under bash -eo pipefail, as GitHub runs steps, so a failing command before a pipe fails the phase',
      );
    if (evidence.runner)
      draft.found(
        base,
        `step '${label}': ${evidence.runner}, results${evidence.coverage ? ' and coverage' : ''} written to /out`,
      );
    else
      draft.guess(
        [...base, 'run'],
        'no known test runner in this step: set results: { junit } or { tap } to the file it writes',
      );
    evidence.guesses.forEach((g) => draft.guess([...base, 'run'], g));
    if (checked) thresholds.push(checked);
    const stepEnv = envMap(step.env, base);
    const phaseEnv = { ...workflowEnv, ...jobEnv, ...containerEnv, ...stepEnv };
    const stepDir = step['working-directory'] ?? workingDirectory;
    const phase: DraftObject = {
      image: phaseImage,
      run: pipefail ? ['bash', '-eo', 'pipefail', '-c', evidence.run] : evidence.run,
      ...(Object.keys(phaseEnv).length > 0 ? { env: phaseEnv } : {}),
    };
    if (checkout) {
      phase.mounts = [{ source: fromPlan(options.planDir, options.repoDir), target: WORKSPACE }];
      phase.workdir = stepDir !== undefined ? `${WORKSPACE}/${String(stepDir).replace(/^\.\//, '')}` : WORKSPACE;
      draft.guess(
        [...base, 'mounts'],
        `actions/checkout: the repository is mounted at ${WORKSPACE} (read-write, as the runner's workspace is)`,
      );
    }
    if (serviceNames.length > 0) phase.services = serviceNames;
    if (!container && serviceNames.length > 0) phase.localhost = true;
    if (phases.length > 0) phase.needs = [phases[phases.length - 1]!];
    if (typeof step['timeout-minutes'] === 'number') phase.timeout = `${step['timeout-minutes']}m`;
    else if (typeof job['timeout-minutes'] === 'number') phase.timeout = `${job['timeout-minutes']}m`;
    if (evidence.results) phase.results = evidence.results;
    if (evidence.coverage) phase.coverage = evidence.coverage;
    if (step['continue-on-error'] === true) draft.warn(base, 'continue-on-error: a failing phase fails the verdict');
    draft.set(base, phase);
    phases.push(name);
  });
  if (options.servicesOnly) return draft;
  if (phases.length === 0) {
    throw new AdoptError(
      `${file}: job ${jobName} has no run: step that runs tests (pytest, npm test, go test, …). Pass --job with the job that tests.`,
    );
  }
  const merged = Object.assign({}, ...thresholds) as CoverageThresholds;
  addGatesAndCriteria(
    draft,
    Object.keys(merged).length > 0 ? { coverage: { thresholds: merged, source: 'the workflow steps' } } : {},
  );
  return draft;
}

function pickJob(file: string, jobs: YamlMap, wanted: string | undefined): [string, YamlMap] {
  const entries = Object.entries(jobs).filter((e): e is [string, YamlMap] => isMap(e[1]));
  if (wanted !== undefined) {
    const job = entries.find(([n]) => n === wanted);
    if (!job) throw new AdoptError(`${file}: no job '${wanted}'. Jobs: ${entries.map(([n]) => n).join(', ')}.`);
    return job;
  }
  if (entries.length === 1) return entries[0]!;
  const testing = entries.filter(
    ([, j]) =>
      Array.isArray(j.steps) && j.steps.some((s) => isMap(s) && typeof s.run === 'string' && looksLikeTests(s.run)),
  );
  if (testing.length === 1) return testing[0]!;
  throw new AdoptError(
    `${file}: ${testing.length === 0 ? 'no job runs tests' : 'several jobs run tests'}; choose one with --job NAME (jobs: ${entries.map(([n]) => n).join(', ')}).`,
  );
}

/** A step that compares a coverage percentage: `awk '$NF+0 < 80'`, `[ "$pct" -lt 80 ]`, `--fail-under 80`. */
export function scriptThreshold(script: string): CoverageThresholds | undefined {
  if (!/cov|percent|%|TOTAL|pct/i.test(script)) return undefined;
  for (const line of script.split('\n')) {
    const match = /(?:-lt|-le|-ge|-gt|<=?|>=?)\s*["']?(\d+(?:\.\d+)?)\b/.exec(
      line.replace(/2>&1|>\s*\/dev\/null|>>?\s*\S+\.(?:txt|log|md)/g, ''),
    );
    if (match && Number(match[1]) <= 100) return { lines: Number(match[1]) };
  }
  return undefined;
}

function imageRef(ref: string, sink: ExpressionSink): string {
  if (!ref) {
    sink.warn('no image: set one');
    return 'TODO:latest';
  }
  const last = ref.split('/').pop() ?? ref;
  if (last.includes(':') || ref.includes('@')) return ref;
  sink.guess(`'${ref}' has no tag; the workflow pulls :latest, so does the plan — pin a version`);
  return `${ref}:latest`;
}

function guessRunnerImage(steps: Yaml): string {
  const list = Array.isArray(steps) ? steps.filter(isMap) : [];
  const version = (action: string, key: string): string | undefined => {
    const step = list.find((s) => typeof s.uses === 'string' && s.uses.startsWith(action));
    return step && isMap(step.with) && step.with[key] !== undefined ? String(step.with[key]) : step ? '' : undefined;
  };
  const python = version('actions/setup-python', 'python-version');
  if (python !== undefined) return `python:${python || '3.12'}-slim`;
  const node = version('actions/setup-node', 'node-version');
  if (node !== undefined) return `node:${node || '20'}-bookworm`;
  const go = version('actions/setup-go', 'go-version');
  if (go !== undefined) return `golang:${go || '1.22'}`;
  return 'ubuntu:24.04';
}

function sinkAt(draft: Draft, path: DraftPath): ExpressionSink {
  return { guess: (t) => draft.guess(path, t), warn: (t) => draft.warn(path, t) };
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'tests';
function uniqueName(name: string, taken: readonly string[]): string {
  let candidate = name;
  for (let i = 2; taken.includes(candidate); i++) candidate = `${name}-${i}`;
  return candidate;
}
