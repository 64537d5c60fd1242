/**
 * Run overhead (issue 3's bars): the same workload — a Redis service with a readiness check and two
 * sequential one-shot phases — run by `plan run`, by a hand-written docker CLI script with tight
 * polling (the engine's floor) and by Debian's docker-compose v1 (healthcheck + service_healthy).
 * One warm-up round, then 5 rounds; the three runners take turns within a round so that load on a
 * shared machine hits them alike. Prints medians, the ratios, readiness notice latency and the
 * runner's peak RSS. Targets: plan/script ≤ 0.95 (issue 10), plan/compose ≤ 0.45, notice ≤ 50 ms, RSS < 150 MB.
 * Run: npm run build && npx tsx bench/run-overhead.ts   (ROUNDS=n to change the 5; PLAN_CLI=other/bin.js)
 * Before/after: PLAN_CLI_BASE=/path/to/main's/dist/cli/bin.js adds that build as a fourth runner in every
 * round (same conditions, interleaved), with its own stage column and ratios; COMPOSE=0 leaves compose out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Timed } from './run-overhead/measure.js';
import { measureProbeCost } from './run-overhead/probe-cost.js';
import {
  ensureImages,
  leftovers,
  planStages,
  runCompose,
  runPlan,
  runScript,
  STAGE_NAMES,
  type PlanRun,
  type ScriptRun,
  type Stages,
} from './run-overhead/workloads.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env['ROUNDS'] ?? 5);
/** PLAN_CLI=/path/to/bin.js compares another build of the CLI (an A/B of an optimisation). */
const cli = path.resolve(root, process.env['PLAN_CLI'] ?? 'dist/cli/bin.js');
const baseCli = process.env['PLAN_CLI_BASE'] ? path.resolve(root, process.env['PLAN_CLI_BASE']) : undefined;
const withCompose = process.env['COMPOSE'] !== '0';

function preflight(): void {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe' });
  } catch {
    throw new Error('The Docker engine does not answer: run `bash scripts/docker-engine.sh`, then retry.');
  }
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  if (baseCli && !existsSync(baseCli)) throw new Error(`PLAN_CLI_BASE ${baseCli} is missing.`);
  if (withCompose) execFileSync('docker-compose', ['version', '--short'], { stdio: 'pipe' });
  ensureImages(root);
}

function assertClean(who: string, filter: string): void {
  const left = leftovers(filter);
  if (left.length > 0)
    throw new Error(`${who} left ${left.length} object(s) on the engine (${filter}): ${left.join(' ')}`);
}

interface Round {
  readonly plan: PlanRun;
  readonly script: ScriptRun;
  readonly base?: PlanRun;
  readonly compose?: Timed;
}

async function round(index: number, tmp: string): Promise<Round> {
  const runners = {
    plan: async () => {
      const out = await runPlan(root, cli, path.join(tmp, `plan-${index}`));
      // By the run's own id: another user of this bench on the engine has live runs of the same plan.
      assertClean('plan run', `label=testplan.run=${out.results.runId}`);
      return out;
    },
    base: async () => {
      const out = await runPlan(root, baseCli!, path.join(tmp, `base-${index}`));
      assertClean('plan run (base)', `label=testplan.run=${out.results.runId}`);
      return out;
    },
    script: async () => {
      const out = await runScript(root, path.join(tmp, 'marks'));
      assertClean('script.sh', 'name=testplan-bench-script');
      return out;
    },
    compose: async () => {
      const project = `tpbench${process.pid}r${index}`;
      const out = await runCompose(root, project);
      assertClean('docker-compose', `label=com.docker.compose.project=${project}`);
      return out;
    },
  };
  const names = ['plan', 'script', ...(baseCli ? ['base'] : []), ...(withCompose ? ['compose'] : [])] as const;
  const order = names.map((_, i, all) => all[(i + Math.max(index, 0)) % all.length]!);
  const done: { plan?: PlanRun; script?: ScriptRun; base?: PlanRun; compose?: Timed } = {};
  for (const name of order) {
    if (name === 'plan') done.plan = await runners.plan();
    else if (name === 'script') done.script = await runners.script();
    else if (name === 'base') done.base = await runners.base();
    else done.compose = await runners.compose();
  }
  return { ...done, plan: done.plan!, script: done.script! };
}

const ms = (x: number): string => `${Math.round(x)} ms`.padStart(9);
const row = (label: string, xs: readonly number[], fmt = ms): string =>
  `${label.padEnd(48)}${fmt(median(xs))}   (min ${fmt(Math.min(...xs)).trim()}, max ${fmt(Math.max(...xs)).trim()})`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

function stepMedians(plans: readonly PlanRun[]): string[] {
  const ids = plans[0]!.results.steps.map((s) => s.id);
  return ids.map((id) =>
    row(
      `    step ${id}`,
      plans.map((p) => p.results.steps.find((s) => s.id === id)?.durationMs ?? NaN),
    ),
  );
}

/** Where a `plan run` process spends its wall time, from its own timestamps in results.json. */
function timeline(plans: readonly PlanRun[]): string[] {
  const parts = plans.map((p) => {
    const r = p.results;
    const starts = r.steps.flatMap((s) => (s.startedAt ? [Date.parse(s.startedAt)] : []));
    const ends = r.steps.flatMap((s) => (s.finishedAt ? [Date.parse(s.finishedAt)] : []));
    const [runStart, runEnd, firstStep, lastStep] = [
      Date.parse(r.startedAt),
      Date.parse(r.finishedAt),
      Math.min(...starts),
      Math.max(...ends),
    ];
    return {
      startup: runStart - p.spawnedAt,
      preSteps: firstStep - runStart,
      steps: lastStep - firstStep,
      postSteps: runEnd - lastStep,
      exit: p.exitedAt - runEnd,
    };
  });
  return [
    row(
      '  spawn → run start (load CLI + plan)',
      parts.map((x) => x.startup),
    ),
    row(
      '  run start → first step (git, engine, prune)',
      parts.map((x) => x.preSteps),
    ),
    row(
      '  first step → last step',
      parts.map((x) => x.steps),
    ),
    ...stepMedians(plans),
    row(
      '  last step → run end (results)',
      parts.map((x) => x.postSteps),
    ),
    row(
      '  run end → process exit (reports, exit)',
      parts.map((x) => x.exit),
    ),
  ];
}

/** Plan run against the script (and the base build), stage by stage: where the difference comes from. */
function stageTable(rounds: readonly Round[]): string[] {
  const withBase = rounds.every((r) => r.base);
  const lines = [
    `${'stage (medians)'.padEnd(48)}${'plan run'.padStart(9)}${'script'.padStart(11)}${'plan − script'.padStart(16)}${withBase ? 'base'.padStart(11) : ''}`,
  ];
  for (const [key, label] of Object.entries(STAGE_NAMES) as [keyof Stages, string][]) {
    const plan = median(rounds.map((r) => planStages(r.plan)[key]));
    const script = median(rounds.map((r) => r.script.stages[key]));
    const base = withBase ? ms(median(rounds.map((r) => planStages(r.base!)[key]))).padStart(11) : '';
    lines.push(
      `${(`  ${label}`).padEnd(48)}${ms(plan)}${ms(script).padStart(11)}${ms(plan - script).padStart(16)}${base}`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  preflight();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'run-overhead-'));
  try {
    console.log(`warm-up round, then ${rounds} rounds (the runners take turns) …`);
    await round(-1, tmp);
    const measured: Round[] = [];
    for (let i = 0; i < rounds; i++) measured.push(await round(i, tmp));

    const plans = measured.map((r) => r.plan);
    const planWall = plans.map((p) => p.wallMs);
    const scriptWall = measured.map((r) => r.script.wallMs);
    const composeWall = measured.flatMap((r) => (r.compose ? [r.compose.wallMs] : []));
    const baseWall = measured.flatMap((r) => (r.base ? [r.base.wallMs] : []));
    const notice = plans.flatMap((p) => (p.readyNoticeMs === undefined ? [] : [p.readyNoticeMs]));
    const planScript = median(planWall) / median(scriptWall);
    const peakRss = Math.max(...plans.map((p) => p.peakRssMb));
    const mb = (x: number): string => `${x.toFixed(1)} MB`.padStart(9);

    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    console.log(
      `\nrun overhead — ${path.relative(root, cli)} built ${statSync(cli).mtime.toISOString()} (HEAD ${commit}) — medians of ${rounds} rounds (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
    );
    console.log(row('plan run (whole CLI process)', planWall));
    console.log(
      row(
        '  run itself (results.json durationMs)',
        plans.map((p) => p.results.durationMs),
      ),
    );
    for (const line of timeline(plans)) console.log(line);
    console.log(row('script.sh (docker CLI, 20 ms polling)', scriptWall));
    if (baseWall.length > 0) console.log(row(`base build ${path.relative(root, baseCli!)}`, baseWall));
    for (const line of stageTable(measured)) console.log(line);
    if (composeWall.length > 0) console.log(row('docker-compose v1 (1 s healthcheck)', composeWall));
    console.log(
      `${'ratio plan/script'.padEnd(48)}${planScript.toFixed(2).padStart(9)}   target ≤ 0.95  ${verdict(planScript <= 0.95)}`,
    );
    if (baseWall.length > 0) {
      console.log(`${'ratio base/script'.padEnd(48)}${(median(baseWall) / median(scriptWall)).toFixed(2).padStart(9)}`);
      console.log(`${'ratio plan/base'.padEnd(48)}${(median(planWall) / median(baseWall)).toFixed(2).padStart(9)}`);
    }
    if (composeWall.length > 0) {
      const planCompose = median(planWall) / median(composeWall);
      console.log(
        `${'ratio plan/compose'.padEnd(48)}${planCompose.toFixed(2).padStart(9)}   target ≤ 0.45  ${verdict(planCompose <= 0.45)}`,
      );
    }
    if (notice.length > 0) {
      console.log(
        `${row('readiness noticed after Redis "Ready"', notice)}   target ≤ 50 ms  ${verdict(median(notice) <= 50)}`,
      );
    } else console.log('readiness notice latency: no "Ready to accept connections" line in results.json');
    const probe = await measureProbeCost();
    console.log(`${'  one exec probe of a ready Redis (driver)'.padEnd(48)}${ms(probe.execMs)}`);
    console.log(`${'  one RESP PING over TCP to the container IP'.padEnd(48)}${ms(probe.respMs)}`);
    console.log(
      row(
        '  probes until ready',
        plans.map((p) => p.results.services[0]?.probes ?? NaN),
        (x) => `${x}`.padStart(9),
      ),
    );
    console.log(
      `${'runner peak RSS (VmHWM, max over rounds)'.padEnd(48)}${mb(peakRss)}   target < 150 MB  ${verdict(peakRss < 150)}`,
    );
    console.log(
      `${'runner + child processes (peak VmRSS sum)'.padEnd(48)}${mb(Math.max(...plans.map((p) => p.peakTreeRssMb)))}`,
    );
    console.log('leftovers after every run: none (checked by label / name / compose project)');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
