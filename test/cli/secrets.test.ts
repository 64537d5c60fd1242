/** A secret given in the plan never appears in stdout, stderr, run.log, results.json, report.md or junit.xml. */
import t from 'tap';
import { join } from 'node:path';
import {
  assertNothingLeft,
  E2E_FIXTURES,
  everyOutput,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
} from './e2e-helpers.js';

const SECRET = 'e2e-Sup3rS3cretT0ken-4417';

t.test('a secret echoed by a failing phase and held by a service is masked everywhere', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('secret-out');
  const summary = join(tempDir('secret-summary'), 'summary.md');
  const res = await runCli(['run', 'secret.plan.ts', '--verbose', '--out', out], {
    cwd: E2E_FIXTURES,
    env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
  });
  t.equal(res.code, 1, `exit 1\n${res.stderr}`);
  // The phase really printed and reported it (masked): the test would be empty otherwise.
  t.match(res.stderr, /phase token: \*\*\*/, 'the phase log line reached stderr, masked');
  t.match(readOut(out, 'report.md'), /token check/, 'the failing test is in the report');
  const outputs = everyOutput(out, res, summary);
  for (const [name, text] of Object.entries(outputs)) {
    t.ok(text.length > 0, `${name} is not empty`);
    t.notOk(text.includes(SECRET), `${name} does not contain the secret`);
  }
  await assertNothingLeft(t, readResults(out));
});
