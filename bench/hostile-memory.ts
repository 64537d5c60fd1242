/**
 * Peak memory on hostile inputs (issue 9: "memory stays bounded"). Generates the inputs in a temp
 * folder and measures, each in its own child process (`/usr/bin/time -v`, "Maximum resident set size"):
 *
 *   - the runner (`dist/cli/bin.js run --driver local`) on a one-phase plan whose phase prints one
 *     50 MB line, copies a JUnit file with 1M cases, or one with a 50 MB test name (the plan has a
 *     tests gate and a criterion whose pattern matches every case);
 *   - the JUnit parser alone (`readTestReport`) on the same two files, to tell parsing from the rest,
 *     and on two harder 1M-case files: every case its own classname, every case failing with text;
 *   - the size of results.json for 1M cases.
 *
 * Goal (issue 9): runner peak RSS ≤ 200 MB for each, results.json ≤ 25 MB for 1M cases. Figures, before
 * and after: bench/hostile-memory/RESULTS.md (1M cases 268 → 134 MB; 50 MB line 77 MB; 50 MB name 83 MB).
 * Run: `npm run build && npx tsx bench/hostile-memory.ts` (the CLI figures need dist/).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'dist/cli/bin.js');
const MB = 1024 * 1024;

/**
 * 1M cases in 1,000 suites. `plain`: one failure per 100 suites; `own-classname`: every case its own
 * classname; `all-failing`: every case fails with its own message and text.
 */
async function writeJunitMillion(
  file: string,
  kind: 'plain' | 'own-classname' | 'all-failing' = 'plain',
): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
  for (let s = 0; s < 1000; s++) {
    const failing = s % 100 === 0;
    const parts = [`<testsuite name="suite_${s}" tests="1000" failures="${failing ? 1 : 0}" errors="0" skipped="0">\n`];
    for (let c = 0; c < 1000; c++) {
      const n = s * 1000 + c;
      const classname = kind === 'own-classname' ? `pkg.own.Class${n}` : `pkg.suite_${s}`;
      const open = `<testcase classname="${classname}" name="test_${n}" time="0.001"`;
      if (kind === 'all-failing') parts.push(`${open}><failure message="boom ${n}">trace ${n}</failure></testcase>\n`);
      else
        parts.push(failing && c === 0 ? `${open}><failure message="boom">trace</failure></testcase>\n` : `${open}/>\n`);
    }
    parts.push('</testsuite>\n');
    await write(parts.join(''));
  }
  await new Promise<void>((r) => out.end('</testsuites>\n', () => r()));
}

function writeJunitHugeName(file: string): void {
  const name = 'n'.repeat(50 * MB);
  writeFileSync(
    file,
    `<testsuites><testsuite name="s" tests="1" failures="0" skipped="0"><testcase classname="c" name="${name}" time="0"/></testsuite></testsuites>\n`,
  );
}

/** Peak RSS in MB of a command, from GNU time's "Maximum resident set size (kbytes)". */
function peakRss(
  command: string,
  args: readonly string[],
  cwd = REPO,
): { mb: number; code: number | null; stderr: string } {
  const res = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * MB,
    env: { ...process.env, CI: '', FORCE_COLOR: '0' },
  });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)?.[1];
  return { mb: kb === undefined ? NaN : Math.round(Number(kb) / 1024), code: res.status, stderr: res.stderr };
}

function plan(dir: string, name: string, run: string): string {
  const file = join(dir, `${name}.plan.yaml`);
  const spec = {
    name,
    images: { base: { ref: 'testplan-base:bookworm' } },
    phases: { hostile: { image: 'base', run, results: { junit: '/out/junit.xml' } } },
    // Criteria see every parsed case: a pattern matching all of them, and a tests gate over them.
    gates: { tests: { failed: 0 } },
    acceptance: [{ id: 'FR-1', requirement: 'every test passes', verifiedBy: { tests: '.' } }],
  };
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

function runner(
  dir: string,
  name: string,
  run: string,
): { mb: number; code: number | null; resultsKb?: number; note: string } {
  const out = join(dir, `${name}-out`);
  const r = peakRss(process.execPath, [BIN, 'run', plan(dir, name, run), '--driver', 'local', '--out', out]);
  const results = join(out, 'results.json');
  const resultsKb = existsSync(results) ? Math.round(statSync(results).size / 1024) : undefined;
  const lastLine =
    r.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^\t/.test(l) && !/Command being timed/.test(l))
      .at(-1) ?? '';
  return { mb: r.mb, code: r.code, ...(resultsKb === undefined ? {} : { resultsKb }), note: lastLine.slice(0, 120) };
}

/** `peak N MB`, or why the parse did not run (so a crash never passes for a small figure). */
function parserOnly(dir: string, file: string): string {
  // The built module when there is one: tsx's own compiler would add ~30 MB to the figure.
  const built = join(REPO, 'dist/evidence/index.js');
  const module = existsSync(built) ? built : join(REPO, 'src/evidence/index.ts');
  const script = join(dir, module === built ? 'parse.mjs' : 'parse.mts');
  writeFileSync(
    script,
    `import { readTestReport } from ${JSON.stringify(module)};\n` +
      `const r = await readTestReport(process.argv[2], 'junit');\n` +
      `console.log(r.ok ? JSON.stringify(r.value.counts) : r.error.message);\n`,
  );
  const r = peakRss(process.execPath, [...(module === built ? [] : ['--import', 'tsx']), script, file]);
  return r.code === 0
    ? `peak ${r.mb} MB`
    : `failed (exit ${r.code}): ${r.stderr.split('\n').find((l) => /Error/.test(l)) ?? ''}`;
}

const dir = mkdtempSync(join(tmpdir(), 'hostile-memory-'));
try {
  mkdirSync(dir, { recursive: true });
  const million = join(dir, 'million.xml');
  const hugeName = join(dir, 'huge-name.xml');
  await writeJunitMillion(million);
  writeJunitHugeName(hugeName);
  const baseline = peakRss(process.execPath, ['-e', '0']).mb;
  console.log(
    `node baseline: ${baseline} MB; inputs: JUnit 1M cases ${Math.round(statSync(million).size / MB)} MB, 50 MB test name`,
  );
  console.log(`parser alone, JUnit 1M cases: ${parserOnly(dir, million)}`);
  console.log(`parser alone, 50 MB test name: ${parserOnly(dir, hugeName)}`);
  const harder = { 'own-classname': join(dir, 'own-classname.xml'), 'all-failing': join(dir, 'all-failing.xml') };
  for (const [kind, file] of Object.entries(harder)) {
    await writeJunitMillion(file, kind as keyof typeof harder);
    console.log(`parser alone, JUnit 1M cases (${kind}): ${parserOnly(dir, file)}`);
  }
  if (!existsSync(BIN)) {
    console.log('runner figures skipped: dist/cli/bin.js is missing (run `npm run build` first)');
  } else {
    const cases: [string, string, string][] = [
      // head and tr, not node: GNU time counts the largest process of the tree, and a node holding the line would be it.
      [
        '50 MB stdout line',
        'line',
        `head -c ${50 * MB} /dev/zero | tr '\\000' x; echo; cp ${million.replace('million', 'small')} /out/junit.xml`,
      ],
      ['JUnit 1M cases', 'million', `cp ${million} /out/junit.xml`],
      ['50 MB test name', 'name', `cp ${hugeName} /out/junit.xml`],
      ['JUnit 1M cases (own-classname)', 'own', `cp ${harder['own-classname']} /out/junit.xml`],
      ['JUnit 1M cases (all-failing)', 'failing', `cp ${harder['all-failing']} /out/junit.xml`],
    ];
    writeFileSync(
      join(dir, 'small.xml'),
      '<testsuites><testsuite name="s" tests="1"><testcase classname="c" name="ok"/></testsuite></testsuites>\n',
    );
    for (const [label, name, run] of cases) {
      const r = runner(dir, name, run.replaceAll('/out/', '$TESTPLAN_OUT/'));
      const size = r.resultsKb === undefined ? 'no results.json' : `results.json ${r.resultsKb} KB`;
      console.log(
        `runner, ${label}: peak ${r.mb} MB (exit ${r.code}; ${size})${r.code !== 0 && r.code !== 1 ? ` — ${r.note}` : ''}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
