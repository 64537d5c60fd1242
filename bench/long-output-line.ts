/**
 * Memory with hostile output (issue 9, "Memory stays bounded"): a phase that prints one 50 MB
 * stdout line, run by `plan run` under both drivers. Prints the runner's peak RSS (GNU time's
 * %M) and the sizes of results.json and junit.xml. Target: RSS ≤ 200 MB; no output file carries
 * more than the 64 Ki-character head of the line.
 * Run: npm run build && npx tsx bench/long-output-line.ts   (MB=n to change the 50)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** PLAN_CLI=/path/to/bin.js measures another build (e.g. before the line cap). */
const cli = path.resolve(root, process.env['PLAN_CLI'] ?? 'dist/cli/bin.js');
const mb = Number(process.env['MB'] ?? 50);
const script = `head -c ${mb * 1024 * 1024} /dev/zero | tr '\\\\0' x; echo`;

function engineAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function measure(driver: 'local' | 'docker'): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'testplan-bench-long-line-'));
  try {
    const plan = path.join(dir, 'long-line.plan.yaml');
    writeFileSync(
      plan,
      `name: long-line\nphases:\n  shout:\n    image: testplan-base:bookworm\n    run: ${JSON.stringify(script)}\n`,
    );
    const out = path.join(dir, 'out');
    const res = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, cli, 'run', plan, '--driver', driver, '--out', out],
      { encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    const rssKb = Number(res.stderr.trim().split('\n').at(-1));
    const size = (f: string) => (statSync(path.join(out, f), { throwIfNoEntry: false })?.size ?? 0) / 1024;
    console.log(
      `${driver.padEnd(6)} one ${mb} MB line: exit ${res.status}, runner peak RSS ${(rssKb / 1024).toFixed(0)} MB, ` +
        `results.json ${size('results.json').toFixed(0)} KiB, junit.xml ${size('junit.xml').toFixed(0)} KiB, run.log ${size('run.log').toFixed(0)} KiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

measure('local');
if (engineAnswers()) measure('docker');
else console.log('docker: skipped (no engine answers: run `bash scripts/docker-engine.sh`)');
