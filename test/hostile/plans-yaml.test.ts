/**
 * Hostile YAML plans through `plan check` (and `plan graph` for selections), in-process: each case
 * asserts the exit code, the words of the message, no stack trace and no "internal error".
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertAnswer, cli, type Expect } from './harness.js';

interface Case extends Expect {
  readonly name: string;
  readonly yaml: string;
  /** Command line before the plan file (default `check`). */
  readonly argv?: readonly string[];
}

const plan = (phases: string, rest = ''): string => `name: hostile\n${rest}phases:\n${phases}`;
const unit = (extra = '', image = "'node:20'"): string =>
  `  unit: { image: ${image}, run: 'npm test'${extra ? `, ${extra}` : ''} }\n`;
const bomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');

const invalid = (...says: (RegExp | string)[]): Pick<Expect, 'code' | 'says'> => ({
  code: 2,
  says: [/the plan is invalid/, ...says],
});

const cases: Case[] = [
  // YAML itself
  { name: 'an alias bomb', yaml: `name: bomb\n${bomb}\nphases:\n${unit()}`, ...invalid(/alias bomb/) },
  {
    name: 'an alias without its anchor',
    yaml: plan("  unit: { image: 'node:20', run: *nope }\n"),
    ...invalid("YAML alias '*nope' has no anchor '&nope'"),
  },
  {
    name: 'an alias used before its anchor',
    yaml: plan("  unit: { image: *img, run: 'x' }\n  b: { image: &img 'node:20', run: 'y' }\n"),
    ...invalid(/has no anchor '&img'/),
  },
  { name: 'a YAML syntax error', yaml: 'name: x\nphases: [unclosed\n', ...invalid(/YAML syntax error/) },
  { name: 'a tab-indented YAML', yaml: 'name: x\nphases:\n\tunit: {}\n', ...invalid(/YAML syntax error/) },
  { name: 'a plan that is a list', yaml: '- name: x\n', ...invalid(/the plan must be an object, not a list/) },
  { name: 'a plan that is a scalar', yaml: 'just text\n', ...invalid(/the plan must be an object, not 'just text'/) },
  { name: 'an empty file', yaml: '', ...invalid(/the plan must be an object/) },
  { name: 'binary garbage', yaml: '\u0000\u0001\u0002\u00ff{{{', ...invalid(/YAML syntax error|must be an object/) },
  { name: 'a duplicate key', yaml: plan(unit() + unit()), ...invalid(/Map keys must be unique/) },
  // commands
  {
    name: 'run: []',
    yaml: plan(`  unit: { image: 'node:20', run: [] }\n`),
    ...invalid(/phases\.unit\.run: is an empty command/),
  },
  {
    name: "run: ''",
    yaml: plan(`  unit: { image: 'node:20', run: '' }\n`),
    ...invalid(/phases\.unit\.run: is an empty command: write what to run/),
  },
  {
    name: 'run of blanks',
    yaml: plan(`  unit: { image: 'node:20', run: '   ' }\n`),
    ...invalid(/phases\.unit\.run: is an empty command/),
  },
  {
    name: "run: [''] (no program)",
    yaml: plan(`  unit: { image: 'node:20', run: [''] }\n`),
    ...invalid(/phases\.unit\.run\[0\]: is empty: the first item is the program/),
  },
  {
    name: 'a service with command: []',
    yaml: plan(unit(), "services:\n  db: { image: 'redis:7', command: [] }\n"),
    ...invalid(/services\.db\.command: is an empty command/),
  },
  {
    name: 'a command gate with an empty run',
    yaml: plan(unit(), "gates:\n  commands:\n    lint: { image: 'node:20', run: '' }\n"),
    ...invalid(/gates\.commands\.lint\.run: is an empty command/),
  },
  {
    name: 'a criterion command with run: []',
    yaml: plan(
      unit(),
      "acceptance:\n  - { id: A, requirement: r, verifiedBy: { command: { image: 'node:20', run: [] } } }\n",
    ),
    ...invalid(/acceptance\[0\]\.verifiedBy\.command\.run: is an empty command/),
  },
  // image references
  {
    name: 'an uppercase image reference',
    yaml: plan(unit('', "'Redis:7'")),
    ...invalid(/'Redis:7' is not a valid image reference \(repository names are lowercase\): write 'redis:7'/),
  },
  {
    name: 'an image reference with an empty tag',
    yaml: plan(unit('', "'redis:'")),
    ...invalid(/'redis:' is not a valid image reference/),
  },
  {
    name: 'an image reference with two colons',
    yaml: plan(unit('', "'redis::7'")),
    ...invalid(/'redis::7' is not a valid image reference/),
  },
  { name: 'an image reference with a space', yaml: plan(unit('', "'my app:1'")), ...invalid(/contains whitespace/) },
  {
    name: 'an image reference with a short digest',
    yaml: plan(unit('', "'redis@sha256:abc'")),
    ...invalid(/'redis@sha256:abc' is not a valid image reference/),
  },
  {
    name: 'an image reference of 300 characters',
    yaml: plan(unit('', `'${'a'.repeat(300)}:1'`)),
    ...invalid(/longer than 255 characters/),
  },
  {
    name: 'an uppercase path in images.ref',
    yaml: plan(unit('', 'app'), "images:\n  app: { ref: 'ghcr.io/Org/app:1' }\n"),
    ...invalid(/images\.app\.ref: 'ghcr\.io\/Org\/app:1' is not a valid image reference/),
  },
  {
    name: 'a tag with a leading dash',
    yaml: plan(unit('', "'node:-20'")),
    ...invalid(/'node:-20' is not a valid image reference/),
  },
  {
    name: 'a service image that is no reference',
    yaml: plan(unit(), "services:\n  db: { image: 'postgres:15 --rm' }\n"),
    ...invalid(/services\.db\.image: 'postgres:15 --rm' is not a valid image reference/),
  },
  { name: 'an untagged image is valid (it means :latest)', yaml: plan(unit('', 'redis')), code: 0, says: [/is valid/] },
  {
    name: 'an untagged near-miss of an image key is a typo',
    yaml: plan(unit('', 'ap'), "images:\n  app: { build: { context: '.' } }\n"),
    ...invalid(/unknown image 'ap': did you mean 'app'\? \(for the external image, write 'ap:latest'\)/),
  },
  {
    name: 'shell expansions in run are left to the shell',
    yaml: plan(`  unit: { image: 'node:20', run: 'echo \${VAR:-default} \${HOME} \${X:-a.b}' }\n`),
    code: 0,
    says: [/is valid/],
  },
  {
    name: 'an unknown service template names the escape',
    yaml: plan(`  unit: { image: 'node:20', run: 'echo \${db.host}' }\n`),
    ...invalid(/'\$\{db\.host\}': unknown service 'db'.*write '\$\$\{db\.host\}'/),
  },
  // container paths and mounts
  {
    name: 'a relative mount target',
    yaml: plan(unit("mounts: [{ source: '.', target: 'data' }]")),
    ...invalid(
      /mounts\[0\]\.target: 'data' is not an absolute container path: write it from the root, e\.g\. '\/data'/,
    ),
  },
  {
    name: 'a relative workdir',
    yaml: plan(unit("workdir: 'src'")),
    ...invalid(/phases\.unit\.workdir: 'src' is not an absolute container path/),
  },
  { name: 'a ./ workdir', yaml: plan(unit("workdir: './app'")), ...invalid(/e\.g\. '\/app'/) },
  {
    name: 'a missing mount source',
    yaml: plan(unit("mounts: [{ source: './no-such-folder', target: '/data' }]")),
    ...invalid(/mounts\[0\]\.source: .*no-such-folder does not exist: create it, or fix the path/),
  },
  {
    name: 'an empty mount source',
    yaml: plan(unit("mounts: [{ source: '', target: '/data' }]")),
    ...invalid(/mounts\[0\]\.source: is empty/),
  },
  // durations and counts
  { name: 'timeout: 0s', yaml: plan(unit('timeout: 0s')), ...invalid(/phases\.unit\.timeout: '0s' is zero/) },
  { name: 'timeout: 0ms', yaml: plan(unit('timeout: 0ms')), ...invalid(/'0ms' is zero/) },
  { name: 'a timeout of a year', yaml: plan(unit('timeout: 8760h')), ...invalid(/'8760h' is a year or more/) },
  { name: 'a timeout of 10^12 hours', yaml: plan(unit('timeout: 1000000000000h')), ...invalid(/is a year or more/) },
  {
    name: 'a ready timeout of 0s',
    yaml: plan(unit(), "services:\n  db: { image: 'redis:7', ready: { preset: redis, timeout: 0s } }\n"),
    ...invalid(/services\.db\.ready\.timeout: '0s' is zero/),
  },
  {
    name: 'a ready interval of 0ms',
    yaml: plan(unit(), "services:\n  db: { image: 'redis:7', ready: { preset: redis, interval: 0ms } }\n"),
    ...invalid(/services\.db\.ready\.interval: '0ms' is zero/),
  },
  {
    name: 'a duration gate of 10,000 hours',
    yaml: plan(unit(), 'gates:\n  duration: { max: 10000h }\n'),
    ...invalid(/gates\.duration\.max: '10000h' is a year or more/),
  },
  {
    name: 'a command gate timeout of 0s',
    yaml: plan(unit(), "gates:\n  commands:\n    lint: { image: 'node:20', run: 'x', timeout: 0s }\n"),
    ...invalid(/gates\.commands\.lint\.timeout: '0s' is zero/),
  },
  {
    name: 'retries: 11',
    yaml: plan(unit('retries: 11')),
    ...invalid(/phases\.unit\.retries: must be a whole number from 0 to 10, not 11/),
  },
  { name: 'retries: 1000000', yaml: plan(unit('retries: 1000000')), ...invalid(/must be a whole number from 0 to 10/) },
  {
    name: 'retries: .inf',
    yaml: plan(unit('retries: .inf')),
    ...invalid(/must be a whole number from 0 to 10, not Infinity/),
  },
  // names
  {
    name: 'a phase named __proto__',
    yaml: plan(`  __proto__: { image: 'node:20', run: 'x' }\n`),
    ...invalid(/phases\.__proto__: name '__proto__' is not allowed/),
    never: [/must be an object, not an object/],
  },
  {
    name: 'a phase named constructor',
    yaml: plan(`  constructor: { image: 'node:20', run: 'x' }\n`),
    ...invalid(/name 'constructor' is reserved/),
    never: [/must be an object, not an object/],
  },
  {
    name: 'a service named toString',
    yaml: plan(unit(), "services:\n  toString: { image: 'redis:7' }\n"),
    ...invalid(/services\.toString: name 'toString' is reserved/),
  },
  {
    name: 'an image named hasOwnProperty',
    yaml: plan(unit(), "images:\n  hasOwnProperty: { ref: 'node:20' }\n"),
    ...invalid(/images\.hasOwnProperty: name 'hasOwnProperty' is reserved/),
  },
  {
    name: 'a duration gate for phase constructor',
    yaml: plan(unit(), 'gates:\n  duration: { phases: { constructor: 5m } }\n'),
    ...invalid(/gates\.duration\.phases\.constructor: unknown phase 'constructor'/),
    never: [/must be an object/],
  },
  { name: 'needs: [constructor]', yaml: plan(unit('needs: [constructor]')), ...invalid(/unknown phase 'constructor'/) },
  {
    name: 'a 100-character phase name',
    yaml: plan(`  ${'p'.repeat(100)}: { image: 'node:20', run: 'x' }\n`),
    ...invalid(/is 100 characters long: .*at most 63/),
  },
  {
    name: 'a 5,000-character phase name',
    yaml: plan(`  ${'p'.repeat(5000)}: { image: 'node:20', run: 'x' }\n`),
    ...invalid(/YAML syntax error: .*at most 1024 chars/),
  },
  {
    name: 'a typo in the only phase never suggests the phase itself',
    yaml: plan(unit('needs: [unti]')),
    ...invalid(/unknown phase 'unti': the only phase is 'unit' itself/),
    never: [/did you mean 'unit'/],
  },
  {
    name: 'a typo in dependsOn never suggests the service itself',
    yaml: plan(unit(), "services:\n  redis: { image: 'redis:7', dependsOn: [rediss] }\n"),
    ...invalid(/unknown service 'rediss'/),
    never: [/did you mean 'redis'/],
  },
  // selections and flags
  {
    name: 'an unknown --profile',
    argv: ['graph', '--profile', 'nightly'],
    yaml: plan(unit()),
    code: 2,
    says: [/--profile nightly: the plan hostile has no profile 'nightly'\. It defines no profiles\./],
  },
  {
    name: 'a mistyped --profile',
    argv: ['graph', '--profile', 'intgration'],
    yaml: plan(unit("profiles: ['integration']")),
    code: 2,
    says: [/Did you mean 'integration'\? Profiles: integration\./],
  },
  {
    name: 'an unknown --phase',
    argv: ['graph', '--phase', 'e2e'],
    yaml: plan(unit()),
    code: 2,
    says: [/--phase e2e: the plan hostile has no phase 'e2e'/],
  },
  {
    name: '--types on a YAML plan',
    argv: ['check', '--types'],
    yaml: plan(unit()),
    code: 0,
    says: [/--types applies to TypeScript plans \(\.plan\.ts\) only/, /plan hostile is valid/],
  },
  {
    name: 'a bad --load-timeout',
    argv: ['check', '--load-timeout', 'soon'],
    yaml: plan(unit()),
    code: 2,
    says: [/--load-timeout soon: expected a duration like '10s'/],
  },
  {
    name: '--load-timeout 0s',
    argv: ['check', '--load-timeout', '0s'],
    yaml: plan(unit()),
    code: 2,
    says: [/--load-timeout 0s: expected a duration/],
  },
  // secrets: warnings, not failures
  {
    name: 'a short secret',
    yaml: plan(unit('env: { TOKEN: { secret: abc } }')),
    code: 0,
    says: [/warning: .*phases\.unit\.env\.TOKEN: the secret is shorter than 6 characters/, /is valid/],
    never: [/\babc\b/],
  },
  {
    name: 'a secret equal to a service name',
    yaml: plan(
      unit('services: [postgres], env: { PGPASSWORD: { secret: postgres } }'),
      "services:\n  postgres: { image: 'postgres:15' }\n",
    ),
    code: 0,
    says: [/warning: .*phases\.unit\.env\.PGPASSWORD: the secret equals a service name in this plan/],
  },
  {
    name: 'a secret equal to the plan name',
    yaml: plan(unit('env: { P: { secret: hostile } }')),
    code: 0,
    says: [/the secret equals the plan name/],
  },
  {
    name: 'a secret equal to an image name',
    yaml: plan(unit('env: { P: { secret: node } }')),
    code: 0,
    says: [/the secret equals an image name in this plan/],
  },
  {
    name: 'a long secret draws no warning',
    yaml: plan(unit('env: { P: { secret: s3cr3t-value-long } }')),
    code: 0,
    says: [/is valid/],
    never: [/warning/],
  },
  {
    name: 'a 5,000-character plan name is valid',
    yaml: `name: ${'n'.repeat(5000)}\nphases:\n${unit()}`,
    code: 0,
    says: [/is valid/],
  },
];

t.test('hostile YAML plans', async (t) => {
  const dir = t.testdir({});
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, async (t) => {
      const folder = path.join(dir, `case-${i}`);
      mkdirSync(folder);
      const file = path.join(folder, 'hostile.plan.yaml');
      writeFileSync(file, c.yaml);
      assertAnswer(t, await cli([...(c.argv ?? ['check']), file], folder), c);
    });
  }
});

export const CASES = cases.length;
