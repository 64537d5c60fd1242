/**
 * The layers of README.md ("Layers"), enforced: dependencies point downward only.
 *   cli → run → cache → execute, evidence, report → compile → load → dsl;  cli → adopt → load → dsl
 * drivers/* sit behind src/drivers/driver.ts; only the composition root (src/cli/choose-driver.ts)
 * names a concrete driver.
 */
const layer = (name, below) => ({
  name: `layer-${name}`,
  comment: `src/${name} may import only from: ${below.join(', ') || 'itself'} (README "Layers")`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: '^src/', pathNot: [`^src/${name}/`, '^src/errors\\.ts$', ...below.map((b) => (b.endsWith('$') ? `^src/${b}` : `^src/${b}/`))] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'cycles at load time; lazy dynamic imports (the command table) and type-only imports are not',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import', 'type-only'] } },
    },
    layer('dsl', ['text']),
    layer('text', []),
    layer('load', ['dsl', 'text']),
    layer('compile', ['load', 'dsl', 'text']),
    layer('evidence', ['compile', 'load', 'dsl', 'text']),
    layer('report', ['evidence', 'compile', 'load', 'dsl', 'text']),
    layer('execute', ['drivers/driver\\.ts$', 'compile', 'load', 'dsl', 'text']),
    layer('drivers', ['dsl', 'text']),
    layer('adopt', ['load', 'dsl', 'text']),
    layer('cache', ['execute', 'evidence', 'report', 'drivers/driver\\.ts$', 'compile', 'load', 'dsl', 'text']),
    layer('run', ['cache', 'execute', 'evidence', 'report', 'drivers/driver\\.ts$', 'compile', 'load', 'dsl', 'text']),
    {
      name: 'concrete-driver-only-in-composition-root',
      comment: 'only src/cli/choose-driver.ts picks a driver; everything else talks to src/drivers/driver.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/drivers/', '^src/cli/choose-driver\\.ts$'] },
      to: { path: '^src/drivers/(?!driver\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
