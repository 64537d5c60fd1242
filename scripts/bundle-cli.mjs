// Bundles the CLI into dist/cli/ (after tsc): one parse instead of hundreds of module files keeps a cold
// `plan check` fast. Heavy dependencies stay external and load only in the chunks of the commands that use them.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

for (const f of readdirSync('dist/cli')) if (f.startsWith('chunk-')) rmSync(`dist/cli/${f}`);

await build({
  entryPoints: { bin: 'src/cli/bin.ts' },
  outdir: 'dist/cli',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['dockerode', 'zx', 'ts-morph', 'tsx', 'tsx/*', 'esbuild', 'tar-fs', 'tar-stream', '@balena/dockerignore', 'saxes'],
  banner: { js: "import { createRequire as __testplanRequire } from 'node:module'; const require = __testplanRequire(import.meta.url);" },
  logLevel: 'warning',
});
