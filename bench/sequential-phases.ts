/**
 * Run overhead on a suite-shaped workload (issue 10, "speed on real suites"): PostgreSQL with its init
 * and three sequential phases that query it and work for 0.3 s each (sequential-phases/), run by
 * `plan run` and by a hand-written docker CLI script (the engine's floor). One warm-up round, then
 * ROUNDS (default 5) rounds, the runners taking turns. Prints medians and plan/script.
 * Run: npm run build && npx tsx bench/sequential-phases.ts   (PLAN_CLI_BASE=other/bin.js adds a build)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeCommand } from './run-overhead/measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench/sequential-phases');
const rounds = Number(process.env['ROUNDS'] ?? 5);
const clis: [string, string][] = [['plan run', path.join(root, 'dist/cli/bin.js')]];
if (process.env['PLAN_CLI_BASE']) clis.push(['base build', path.resolve(process.env['PLAN_CLI_BASE'])]);

/** The runs stay side by side, as in a team's `.testplan/runs`: a run reads the last one's figures (and baseline). */
const runs = mkdtempSync(path.join(os.tmpdir(), 'testplan-seq-runs-'));
process.on('exit', () => rmSync(runs, { recursive: true, force: true }));
let runCount = 0;

async function planRun(cli: string): Promise<number> {
  const out = path.join(runs, `run-${++runCount}`);
  try {
    const timed = await timeCommand(
      process.execPath,
      [cli, 'run', path.join(dir, 'sequential.plan.ts'), '--out', out],
      {
        cwd: root,
        // An empty phase cache per run: this bench measures running the workload, not restoring it.
        env: { ...process.env, TESTPLAN_CACHE_DIR: path.join(out, '.phase-cache') },
      },
    );
    if (timed.exitCode !== 0) throw new Error(`plan run exited ${timed.exitCode}:\n${timed.output}`);
    return timed.wallMs;
  } finally {
    rmSync(path.join(out, '.phase-cache'), { recursive: true, force: true });
  }
}

async function scriptRun(): Promise<number> {
  const timed = await timeCommand('bash', [path.join(dir, 'script.sh')], { cwd: dir });
  if (timed.exitCode !== 0) throw new Error(`script.sh exited ${timed.exitCode}:\n${timed.output}`);
  return timed.wallMs;
}

const times = new Map<string, number[]>([...clis.map(([n]) => [n, []] as [string, number[]]), ['script.sh', []]]);
for (let round = 0; round <= rounds; round++) {
  for (const [name, cli] of clis) {
    const ms = await planRun(cli);
    if (round > 0) times.get(name)!.push(ms);
  }
  const ms = await scriptRun();
  if (round > 0) times.get('script.sh')!.push(ms);
}
const load = os.loadavg()[0]!.toFixed(1);
console.log(
  `sequential phases (postgres + 3 phases of 0.3 s) — medians of ${rounds} rounds (load average ${load} on ${os.cpus().length} cores)`,
);
for (const [name, list] of times)
  console.log(
    `${name.padEnd(14)} ${median(list).toFixed(0).padStart(6)} ms   (min ${Math.min(...list).toFixed(0)}, max ${Math.max(...list).toFixed(0)})`,
  );
const script = median(times.get('script.sh')!);
for (const [name] of clis) console.log(`ratio ${name}/script ${(median(times.get(name)!) / script).toFixed(2)}`);
