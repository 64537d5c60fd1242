/**
 * Hostile TypeScript and JavaScript plans through `plan check`, in-process: the plan's code runs in
 * the loader's worker thread, so even process.exit, process.kill and endless loops are safe to try
 * here (if isolation broke, this test process would die or hang: red). A few cases are proved on
 * the built binary as well (plans-process.test.ts).
 */
import t from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertAnswer, cli, pool, repo, type CliResult, type Expect } from './harness.js';

interface Case extends Expect {
  readonly name: string;
  /** The plan file's text; `VALID` stands for a valid plan object literal. */
  readonly source: string;
  readonly ext?: 'ts' | 'js';
  readonly argv?: readonly string[];
  /** Extra files in the plan's folder. */
  readonly files?: Readonly<Record<string, string>>;
}

const VALID = "{ name: 'hostile', phases: { unit: { image: 'node:20', run: 'npm test' } } }";
const head = "import { defineTestPlan } from 'testplan';\n";
const ts = (before: string, plan = `defineTestPlan(${VALID})`): string => `${head}${before}\nexport default ${plan};\n`;
const invalid = (...says: (RegExp | string)[]): Pick<Expect, 'code' | 'says'> => ({
  code: 2,
  says: [/the plan is invalid/, ...says],
});
const valid = (...says: (RegExp | string)[]): Pick<Expect, 'code' | 'says'> => ({
  code: 0,
  says: [/is valid/, ...says],
});

const cases: Case[] = [
  // ending the process
  {
    name: 'process.exit(0) at import',
    source: ts('process.exit(0);'),
    ...invalid(/called process\.exit\(0\) while loading: a plan only describes the run; remove the call/),
  },
  { name: 'process.exit(1) at import', source: ts('process.exit(1);'), ...invalid(/called process\.exit\(1\)/) },
  { name: 'process.exit() with no code', source: ts('process.exit();'), ...invalid(/called process\.exit\(\)/) },
  {
    name: 'process.exit(0) inside try/catch',
    source: ts('try { process.exit(0); } catch {}'),
    ...invalid(/called process\.exit\(0\)/),
  },
  {
    name: 'process.exit(0) after an await',
    source: ts('await Promise.resolve(); process.exit(0);'),
    ...invalid(/called process\.exit\(0\)/),
  },
  {
    name: 'process.exit(0) from a microtask',
    source: ts('queueMicrotask(() => process.exit(0));'),
    ...invalid(/called process\.exit\(0\)/),
  },
  {
    name: 'process.exit(0) in a .plan.js',
    ext: 'js',
    source: `${head}process.exit(0);\nexport default defineTestPlan(${VALID});\n`,
    ...invalid(/called process\.exit\(0\)/),
  },
  {
    name: 'process.kill of its own pid',
    source: ts("process.kill(process.pid, 'SIGKILL');"),
    ...invalid(/called process\.kill\(\d+, "SIGKILL"\)/),
  },
  {
    name: 'process.reallyExit(0)',
    source: ts('(process as any).reallyExit(0);'),
    ...invalid(/called process\.reallyExit\(0\)/),
  },
  {
    name: 'process._kill of its own pid',
    source: ts('(process as any)._kill(process.pid, 9);'),
    ...invalid(/called process\._kill\(\d+\)/),
  },
  { name: 'process.abort()', source: ts('process.abort();'), ...invalid(/called process\.abort\(\)/) },
  {
    name: 'process.chdir at import',
    source: ts("process.chdir('/');"),
    ...invalid(/the plan file threw while loading: .*chdir/),
  },
  // never finishing
  {
    name: 'a top-level await that never settles',
    source: ts('await new Promise(() => {});'),
    ...invalid(/never finished loading: a top-level await waits for a promise that never settles/),
  },
  {
    name: 'an endless loop',
    argv: ['check', '--load-timeout', '1s'],
    source: ts('while (true) {}'),
    ...invalid(/did not finish loading within 1s .*--load-timeout/),
  },
  {
    name: 'an endless loop after an await',
    argv: ['check', '--load-timeout', '1s'],
    source: ts('await null; for (;;) {}'),
    ...invalid(/did not finish loading within 1s/),
  },
  {
    name: 'a top-level await on a long timer',
    argv: ['check', '--load-timeout', '1s'],
    source: ts('await new Promise((r) => setTimeout(r, 60_000));'),
    ...invalid(/did not finish loading within 1s/),
  },
  {
    name: 'an endless setInterval',
    source: ts('setInterval(() => {}, 1000);'),
    ...invalid(/left 1 timer\(s\) running after it loaded/),
  },
  {
    name: 'a timer that throws later',
    source: ts("setTimeout(() => { throw new Error('late'); }, 50);"),
    ...invalid(/left 1 timer\(s\) running/),
  },
  {
    name: 'two timers',
    source: ts('setTimeout(() => {}, 10_000); setTimeout(() => {}, 20_000);'),
    ...invalid(/left 2 timer\(s\) running/),
  },
  {
    name: 'setImmediate that throws',
    source: ts("setImmediate(() => { throw new Error('soon'); });"),
    ...invalid(/threw after it loaded \(soon\)/),
  },
  {
    name: 'an unhandled rejection',
    source: ts("Promise.reject(new Error('nope'));"),
    ...invalid(/left a promise rejected without a handler while loading \(nope\)/),
  },
  {
    name: 'an unhandled rejection with a non-error',
    source: ts('Promise.reject(42);'),
    ...invalid(/rejected without a handler while loading \(42\)/),
  },
  { name: 'an unref’d timer is allowed', source: ts('setTimeout(() => {}, 60_000).unref();'), ...valid() },
  // throwing
  {
    name: 'a throw at import',
    source: ts("throw new Error('boom');"),
    ...invalid(/the plan file threw while loading: boom; fix the error/),
  },
  { name: 'a throw of a number', source: ts('throw 42;'), ...invalid(/threw while loading: 42/) },
  {
    name: 'a throw with a multi-line message',
    source: ts("throw new Error('first line\\n    at fake (stack.js:1:1)');"),
    ...invalid(/threw while loading: first line;/),
  },
  {
    name: 'a syntax error',
    source: `${head}export default defineTestPlan({ name: 'x', phases: { \n`,
    ...invalid(/hostile\.plan\.ts:\d+:\d+: .*Expected/),
  },
  {
    name: 'no default export',
    source: `${head}export const plan = defineTestPlan(${VALID});\n`,
    ...invalid(/has no default export: write 'export default defineTestPlan/),
  },
  { name: 'a default export of null', source: ts('', 'null'), ...invalid(/the plan must be an object, not null/) },
  {
    name: 'a default export that is a function',
    source: ts('', '() => ({})'),
    ...invalid(/the plan must be an object, not a function/),
  },
  {
    name: 'a default export that is a Promise',
    source: ts('', `Promise.resolve(${VALID})`),
    ...invalid(/'name' is missing/),
  },
  // objects that are not data
  {
    name: 'a getter that throws',
    source: ts('', "{ get name(): string { throw new Error('getter!'); }, phases: {} }"),
    ...invalid(/reading this value threw \(getter!\): a plan must be plain data/),
  },
  {
    name: 'a nested getter that throws',
    source: ts(
      '',
      "{ name: 'x', phases: { unit: { image: 'node:20', get run(): string { throw new Error('deep'); } } } }",
    ),
    ...invalid(/phases\.unit\.run: reading this value threw \(deep\)/),
  },
  {
    name: 'a Proxy whose ownKeys trap throws',
    source: ts('', "new Proxy({}, { ownKeys() { throw new Error('trap'); } })"),
    ...invalid(/reading this value threw \(trap\)/),
  },
  {
    name: 'a Proxy whose get trap throws',
    source: ts('', "new Proxy({ name: 1 }, { get() { throw new Error('get trap'); } })"),
    ...invalid(/reading this value threw \(get trap\)/),
  },
  // From source the worker's tsx hooks touch the module namespace first ('has'); the built CLI reads it in copyPlainData.
  {
    name: 'a revoked Proxy',
    source: ts('const r = Proxy.revocable({}, {}); r.revoke();', 'r.proxy'),
    ...invalid(
      /reading this value threw \(Cannot perform '\w+' on a proxy that has been revoked\)|threw while loading: Cannot perform 'has' on a proxy/,
    ),
  },
  { name: 'a Proxy of a valid plan', source: ts('', `new Proxy(${VALID}, {})`), ...valid(/plan hostile is valid/) },
  {
    name: 'a getter answering differently each time is read once',
    source: ts(
      'let n = 0;',
      "{ get name() { return n++ === 0 ? 'first' : ''; }, phases: { unit: { image: 'node:20', run: 'x' } } }",
    ),
    ...valid(/plan first is valid/),
  },
  {
    name: 'a plan that refers to itself',
    source: ts(
      'const p: any = { name: "x", phases: { unit: { image: "node:20", run: "x" } } }; p.phases.unit.env = p;',
      'p',
    ),
    ...invalid(/phases\.unit\.env: refers back to the plan \(a cycle\)/),
  },
  {
    name: 'nesting 200 levels deep',
    source: ts(
      'let d: any = {}; const p: any = { name: "x", phases: { unit: { image: "node:20", run: "x", env: d } } }; for (let i = 0; i < 200; i++) { d.x = {}; d = d.x; }',
      'p',
    ),
    ...invalid(/nested more than 64 levels deep/),
  },
  {
    name: 'a function as a command',
    source: ts('', "{ name: 'x', phases: { unit: { image: 'node:20', run: () => 'npm test' } } }"),
    ...invalid(/phases\.unit\.run: must be a command: .*, not a function/),
  },
  {
    name: 'a symbol as a name',
    source: ts('', "{ name: Symbol('x'), phases: { unit: { image: 'node:20', run: 'x' } } }"),
    ...invalid(/name: must be the plan name, not Symbol\(x\)/),
  },
  {
    name: 'a bigint as retries',
    source: ts('', "{ name: 'x', phases: { unit: { image: 'node:20', run: 'x', retries: 1n } } }"),
    ...invalid(/phases\.unit\.retries: must be a whole number from 0 to 10/),
  },
  {
    name: 'a Date as the name',
    source: ts('', "{ name: new Date(0), phases: { unit: { image: 'node:20', run: 'x' } } }"),
    ...invalid(/name: must be the plan name, not an empty object/),
  },
  {
    name: 'a Map as phases',
    source: ts('', "{ name: 'x', phases: new Map([['unit', {}]]) }"),
    ...invalid(/phases: the plan has no phases/),
  },
  {
    name: 'a __proto__ key from JSON.parse',
    source: ts('', `{ name: 'x', phases: JSON.parse('{"__proto__": {"image": "node:20", "run": "x"}}') }`),
    ...invalid(/name '__proto__' is not allowed/),
  },
  {
    name: 'a 5,000-character phase name',
    source: ts('', `{ name: 'x', phases: { ${'p'.repeat(5000)}: { image: 'node:20', run: 'x' } } }`),
    ...invalid(/is 5000 characters long: .*at most 63/),
  },
  {
    name: 'a RegExp in verifiedBy.tests survives loading',
    source: ts(
      '',
      "{ name: 'x', phases: { unit: { image: 'node:20', run: 'x' } }, acceptance: [{ id: 'A', requirement: 'r', verifiedBy: { tests: /upload/i } }] }",
    ),
    ...valid(/1 criteria/),
  },
  {
    name: 'secrets survive loading',
    source: `import { defineTestPlan, secret } from 'testplan';\nexport default defineTestPlan({ name: 'x', phases: { unit: { image: 'node:20', run: 'x', env: { T: secret('long-enough-secret') } } } });\n`,
    ...valid(),
    never: [/long-enough-secret/],
  },
  {
    name: 'a short secret warns',
    source: `import { defineTestPlan, secret } from 'testplan';\nexport default defineTestPlan({ name: 'x', phases: { unit: { image: 'node:20', run: 'x', env: { T: secret('pw') } } } });\n`,
    ...valid(/warning: .*phases\.unit\.env\.T: the secret is shorter than 6 characters/),
    never: [/\bpw\b/],
  },
  {
    name: 'polluting Object.prototype stays in the loader',
    source: ts('(Object.prototype as any).polluted = "yes";'),
    ...valid(),
  },
  // packages
  {
    name: 'an import of a missing package',
    source: ts("import pad from 'left-pad';\nconsole.log(pad);"),
    ...invalid(/the plan imports 'left-pad', which is not installed where the plan is: run `npm install left-pad`/),
    never: [/'testplan'/],
  },
  {
    name: 'an import of a missing scoped package subpath',
    source: ts("import x from '@acme/tools/sub';\nconsole.log(x);"),
    ...invalid(/the plan imports '@acme\/tools'/),
  },
  {
    name: 'a missing relative import',
    source: ts("import { x } from './nowhere';\nconsole.log(x);"),
    ...invalid(/Could not resolve "\.\/nowhere"/),
  },
  {
    name: 'a .plan.ts in a CommonJS project importing a package',
    source: ts(
      "import { image } from 'helper';",
      `defineTestPlan({ name: 'cjs', phases: { unit: { image, run: 'x' } } })`,
    ),
    files: {
      'package.json': '{ "name": "cjs-project" }',
      'node_modules/helper/package.json': '{ "name": "helper", "main": "index.js" }',
      'node_modules/helper/index.js': "exports.image = 'node:20';\n",
    },
    ...valid(/plan cjs is valid/),
    never: [/unknown key 'default'/],
  },
  {
    name: 'a .plan.ts in a CommonJS project with testplan in node_modules',
    source: ts(
      "import { image } from 'helper';",
      `defineTestPlan({ name: 'cjs2', phases: { unit: { image, run: 'x' } } })`,
    ),
    files: {
      'package.json': '{ "name": "cjs-project" }',
      'node_modules/helper/package.json': '{ "name": "helper", "main": "index.js" }',
      'node_modules/helper/index.js': "exports.image = 'node:20';\n",
    },
    ...valid(/plan cjs2 is valid/),
  },
];

const results = new Map<string, CliResult>();

t.before(async () => {
  const dir = t.testdir({});
  const outcomes = await pool(cases, 4, async (c) => {
    const folder = path.join(dir, `case-${cases.indexOf(c)}`);
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(c.files ?? {})) {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), text);
    }
    if (c.name.includes('testplan in node_modules')) symlinkSync(repo, path.join(folder, 'node_modules', 'testplan'));
    const file = path.join(folder, `hostile.plan.${c.ext ?? 'ts'}`);
    writeFileSync(file, c.source);
    return cli([...(c.argv ?? ['check']), file], folder);
  });
  cases.forEach((c, i) => results.set(c.name, outcomes[i]!));
});

for (const c of cases) t.test(c.name, async (t) => assertAnswer(t, results.get(c.name)!, c));

t.test('the loader process itself is untouched by what plans did', async (t) => {
  t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype of the CLI is not polluted');
  t.equal(process.cwd(), repo, 'process.chdir in a plan did not move the CLI');
});
