import t from 'tap';
import { interpolate, parseEnvFile } from '../../src/adopt/compose/interpolate.js';

t.test('interpolation follows compose: defaults for unset (-) and unset-or-empty (:-), $$ is a dollar', async (t) => {
  const vars = { SET: 'v', EMPTY: '' };
  t.equal(interpolate('${SET}-$SET', vars).text, 'v-v');
  t.equal(interpolate('${MISSING:-d}', vars).text, 'd');
  t.equal(interpolate('${EMPTY:-d}', vars).text, 'd', ':- replaces an empty value');
  t.equal(interpolate('${EMPTY-d}', vars).text, '', '- keeps an empty value');
  t.equal(interpolate('${MISSING-d}', vars).text, 'd');
  t.equal(interpolate('$$HOME and $${SET}', vars).text, '$HOME and ${SET}');
  t.equal(interpolate('${MISSING:-${SET}x}', vars).text, 'vx', 'nested default');
  t.same(interpolate('${MISSING:-d}', vars).defaulted, ['MISSING']);
  const unset = interpolate('a${NOPE}b', vars);
  t.equal(unset.text, 'ab');
  t.same(unset.unset, ['NOPE'], 'an unset variable is reported, not silently empty');
  t.same(interpolate('${NEED:?set NEED}', vars).required, ['NEED']);
  t.same(interpolate('${SET:?x}', vars).required, []);
});

t.test('env files: comments, export, quotes, inline comments', async (t) => {
  const vars = parseEnvFile('# c\nexport A=1\nB="two words"\nC=\'$lit\'\nD=x # note\n\nnot a line\n');
  t.same(vars, { A: '1', B: 'two words', C: '$lit', D: 'x' });
});
