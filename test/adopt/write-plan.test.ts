import t from 'tap';
import { Draft, secretCall, secretFromEnvCall } from '../../src/adopt/plan/draft.js';
import { writePlanSource } from '../../src/adopt/plan/write-plan.js';

t.test(
  'a draft becomes a formatted plan: keys in DSL order, quoting, secrets and regexes as code, notes as comments',
  async (t) => {
    const draft = new Draft('demo');
    draft.header.push('Made by a test.');
    draft.set(['phases', 'unit-tests', 'image'], 'node:20');
    draft.set(['phases', 'unit-tests', 'run'], "echo 'it''s' \\ done");
    draft.set(['services', 'db', 'image'], 'pg:15');
    draft.set(['services', 'db', 'env'], { PASSWORD: secretCall('p*/w'), TOKEN: secretFromEnvCall('TOKEN') });
    draft.set(['images', 'app', 'build', 'context'], '..');
    draft.set(['acceptance'], [{ id: 'FR-1', requirement: 'r', verifiedBy: { tests: /login \/ ok/ } }]);
    draft.guess(['services', 'db', 'env'], 'check the\npassword */');
    draft.warn(['services', 'db', 'volumes'], 'no mounts');
    draft.warn([], 'top-level thing');
    draft.found(['phases'], 'found notes are printed, not written');
    const text = writePlanSource(draft);
    t.match(
      text,
      /^\/\*\*\n \* Made by a test\.\n \* not mapped: top-level thing\n \*\/\nimport \{ defineTestPlan, secret, secretFromEnv \} from 'testplan';\n\nexport default defineTestPlan\(\{\n {2}name: 'demo',\n {2}images:/,
    );
    t.ok(
      text.indexOf('images:') < text.indexOf('services:') && text.indexOf('services:') < text.indexOf('phases:'),
      'DSL order',
    );
    t.match(text, /'unit-tests': \{/);
    t.match(text, /run: 'echo \\'it\\'\\'s\\' \\\\ done'/);
    t.match(text, /PASSWORD: secret\('p\*\/w'\)/);
    t.match(text, /TOKEN: secretFromEnv\('TOKEN'\)/);
    t.match(text, /tests: \/login \\\/ ok\//);
    t.match(text, /\/\/ guess: check the password \* \/\n\s+env: \{/, 'one comment line, the comment closer defused');
    t.match(
      text,
      /\/\/ not mapped: volumes: no mounts\n\s+db: \{/,
      'a note about a key the plan lacks goes above its deepest existing parent',
    );
    t.notMatch(text, /found notes/);
    t.match(text, /\}\);\n$/);
  },
);
