/**
 * `.plan.ts` / `.plan.js`: bundled in memory with esbuild and imported from a data: URL (measured
 * ~2.5x faster cold than tsx's tsImport, which starts a loader thread). A plan that imports npm
 * packages other than 'testplan' cannot be imported from a data: URL, so it goes through tsx.
 * Either way the plan's code runs in a worker thread (run-in-worker.ts), never in the CLI's own.
 */
import { createRequire, isBuiltin } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { DEFAULT_CACHE_DIR, readBundle, writeBundle } from './bundle-cache.js';
import type * as Esbuild from 'esbuild';
import type { PlanProblem } from '../errors.js';
import { ownEntryPoint } from './own-package.js';
import { formatPath } from '../dsl/validate/problems.js';
import { startLoadWorker, type LoadWorker, type WorkerLimits } from './run-in-worker.js';
import { loadFailure, packageName } from './worker-protocol.js';

export type ModuleResult =
  | { readonly ok: true; readonly input: unknown }
  | { readonly ok: false; readonly problems: PlanProblem[] };

/** esbuild is tsx's own dependency; resolve it from there so hoisting cannot hide it. */
async function loadEsbuild(): Promise<typeof Esbuild> {
  const fromTsx = createRequire(import.meta.resolve('tsx/esm/api'));
  return (await import(pathToFileURL(fromTsx.resolve('esbuild')).href)) as typeof Esbuild;
}

interface Bundle {
  readonly code?: string;
  readonly packages: string[];
  readonly errors: PlanProblem[];
}

async function bundle(file: string, display: string, cacheDir: string | undefined): Promise<Bundle> {
  const entry = ownEntryPoint();
  const cached = cacheDir === undefined ? undefined : await readBundle(cacheDir, file, entry);
  if (cached) return { code: cached.code, packages: [...cached.packages], errors: [] };
  const esbuild = await loadEsbuild();
  const packages: string[] = [];
  const url = pathToFileURL(file).href;
  try {
    const out = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      absWorkingDir: dirname(file),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.dirname': JSON.stringify(dirname(file)),
        'import.meta.filename': JSON.stringify(file),
      },
      plugins: [
        {
          name: 'testplan-externals',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.path === 'testplan') return { path: entry };
              if (!isBuiltin(args.path)) packages.push(args.path);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    const code = out.outputFiles[0]?.text ?? '';
    if (cacheDir !== undefined) {
      const inputs = Object.keys(out.metafile.inputs).map((p) => resolve(dirname(file), p));
      await writeBundle(cacheDir, file, entry, { code, packages }, inputs);
    }
    return { code, packages, errors: [] };
  } catch (error) {
    const failure = error as Esbuild.BuildFailure;
    const errors = (failure.errors ?? []).map((e) => ({
      file: e.location ? `${display}:${e.location.line}:${e.location.column + 1}` : display,
      path: '',
      message: `${e.text}: fix this error in the plan file`,
    }));
    return {
      packages,
      errors:
        errors.length > 0
          ? errors
          : [{ file: display, path: '', message: `could not compile the plan: ${(error as Error).message}` }],
    };
  }
}

/** Packages the plan imports that cannot be found from its folder (named before any of its code runs). */
function missingPackages(file: string, specifiers: readonly string[]): string[] {
  const require = createRequire(file);
  const missing = specifiers.filter((specifier) => {
    try {
      require.resolve(specifier);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    }
  });
  return [...new Set(missing.map(packageName))];
}

export interface ModuleOptions {
  readonly env: NodeJS.ProcessEnv;
  /** See LoadOptions.envMarker. */
  readonly envMarker?: string | undefined;
  readonly limits: WorkerLimits;
  readonly cacheDir?: string | undefined;
  /** A worker the caller started ahead (its start-up overlaps reading the file); else one starts here. */
  readonly worker?: LoadWorker;
}

/**
 * Evaluates a plan module in a worker thread and validates its default export there; a failure is
 * reported as plan problems, never thrown. The result is a plain-data copy of a valid plan.
 */
export async function loadPlanModule(file: string, display: string, options: ModuleOptions): Promise<ModuleResult> {
  const worker = options.worker ?? startLoadWorker(options.limits);
  const built = await bundle(file, display, options.cacheDir ?? DEFAULT_CACHE_DIR);
  const missing = missingPackages(file, built.packages);
  const problems =
    built.errors.length > 0
      ? built.errors
      : missing.map((pkg) => ({ file: display, path: '', message: loadFailure.missing(pkg) }));
  if (problems.length > 0 || built.code === undefined) {
    worker.cancel();
    return { ok: false, problems };
  }
  const env = { ...options.env };
  const marker = options.envMarker === undefined ? {} : { envMarker: options.envMarker };
  const outcome = await worker.load(
    built.packages.length > 0
      ? { mode: 'tsx', file, entry: ownEntryPoint(), env, ...marker }
      : { mode: 'bundle', code: built.code, file, env, ...marker },
  );
  switch (outcome.kind) {
    case 'loaded':
      return { ok: true, input: outcome.input };
    case 'invalid':
      return {
        ok: false,
        problems: outcome.findings.map((f) => ({ file: display, path: formatPath(f.path), message: f.message })),
      };
    case 'no-default':
      return {
        ok: false,
        problems: [
          { file: display, path: '', message: "has no default export: write 'export default defineTestPlan({ … })'" },
        ],
      };
    case 'failed':
      return { ok: false, problems: [{ file: display, path: '', message: outcome.message }] };
  }
}
