/**
 * A team's repository installs Testplan from the packed tarball (`npm pack`, until it is published):
 * its editor resolves `import … from 'testplan'` with full types (tsc on a plan there), and the
 * installed CLI loads and validates the plan. Needs `npm run build` (npm test builds first) and the
 * npm registry or npm's cache for the dependencies.
 */
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

const PLAN = `import { definePhase, defineTestPlan, secret } from 'testplan';
const shard = (i: number) => definePhase({ image: 'app', run: \`npm test -- --shard \${i}\`, needs: ['build'], services: ['pg'] });
export default defineTestPlan({
  name: 'team',
  images: { app: { build: { context: '..' } } },
  services: { pg: { image: 'postgres:15', env: { POSTGRES_PASSWORD: secret('a-long-password') }, ready: { preset: 'postgres' } } },
  phases: { build: { image: 'app', run: 'npm run build' }, s1: shard(1), s2: shard(2) },
});
`;

t.test('the packed tarball installs in a fresh project, types a plan and checks it', async (t) => {
  if (!existsSync(path.join(repo, 'dist', 'index.d.ts'))) throw new Error('dist/ is missing: run npm run build first');
  const dir = t.testdir({});
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], repo)) as {
    filename: string;
    files: { path: string }[];
  }[];
  t.ok(
    packed!.files.some((f) => f.path === 'dist/cli/load-worker.js'),
    'the plan-loading worker is packed',
  );
  const project = path.join(dir, 'team');
  mkdirSync(path.join(project, 'plans'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'team', private: true, type: 'module' }));
  writeFileSync(path.join(project, 'Dockerfile'), 'FROM node:20\n');
  npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--save-dev',
      path.join(dir, packed!.filename),
    ],
    project,
  );
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        skipLibCheck: false,
        types: [],
      },
      include: ['plans'],
    }),
  );
  writeFileSync(path.join(project, 'plans', 'team.plan.ts'), PLAN);

  const typed = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  t.equal(typed.status, 0, `tsc on the plan: ${typed.stdout}${typed.stderr}`);

  writeFileSync(path.join(project, 'plans', 'team.plan.ts'), PLAN.replace("needs: ['build']", "needs: ['biuld']"));
  const typo = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  t.not(typo.status, 0, 'a typo in a helper-built phase is a type error');
  t.match(typo.stdout, /Type '"biuld"' is not assignable to type '"build" \| "s1" \| "s2"'/);

  writeFileSync(path.join(project, 'plans', 'team.plan.ts'), PLAN);
  const checked = spawnSync(
    process.execPath,
    [path.join(project, 'node_modules', 'testplan', 'dist', 'cli', 'bin.js'), 'check'],
    { cwd: project, encoding: 'utf8' },
  );
  t.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
  t.match(checked.stdout, /plans\/team\.plan\.ts: plan team is valid \(3 phase\(s\), 1 service\(s\), 0 criteria\)/);
  const version = spawnSync(
    process.execPath,
    [path.join(project, 'node_modules', 'testplan', 'dist', 'cli', 'bin.js'), '--version'],
    { encoding: 'utf8' },
  );
  t.equal(version.stdout, `plan ${JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version}\n`);
});
