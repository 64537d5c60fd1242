/** Reads a results.json back (for `plan report`), with an error that says what to do. */
import { readFileSync } from 'node:fs';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { UsageError } from '../errors.js';
import { RESULTS_VERSION, type RunResults } from './results.js';
import { RunResultsSchema } from './results-schema.js';

const MAX_LISTED_PROBLEMS = 10;

/** Compiled once, on first use: a compiled check of a 10,000-test results.json takes ~1 ms, `Value.Check` ~100 ms. */
let checker: TypeCheck<typeof RunResultsSchema> | undefined;
const compiled = (): TypeCheck<typeof RunResultsSchema> => (checker ??= TypeCompiler.Compile(RunResultsSchema));

/** Compiles the check ahead of its first use (`plan run` does it while the engine works). */
export function prepareResultsCheck(): void {
  compiled();
}

export type ReadText = (file: string) => string;

const readUtf8: ReadText = (file) => readFileSync(file, 'utf8');

export function readResults(file: string, readText: ReadText = readUtf8): RunResults {
  return parseResults(readFile(file, readText), file);
}

/** Validates results.json text; `file` only names the source in errors. */
export function parseResults(json: string, file = 'results.json'): RunResults {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${file} is not valid JSON (${reason}). Pass the results.json a \`plan run\` wrote, or run the plan again.`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${file} does not hold a results object. Pass the results.json a \`plan run\` wrote.`);
  }
  const version = (data as { version?: unknown }).version;
  if (version !== RESULTS_VERSION) {
    const found = version === undefined ? 'has no `version` field' : `has version ${JSON.stringify(version)}`;
    throw new UsageError(
      `${file} ${found}; this testplan reads results version ${RESULTS_VERSION}. ` +
        'Re-render it with the testplan version that wrote it, or run the plan again with this one.',
    );
  }
  if (!compiled().Check(data)) {
    const problems = [...compiled().Errors(data)].slice(0, MAX_LISTED_PROBLEMS);
    const lines = problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new UsageError(
      `${file} is not a valid results file (version ${RESULTS_VERSION}):\n${lines.join('\n')}\nRun the plan again to write a fresh one.`,
    );
  }
  return data as RunResults;
}

function readFile(file: string, readText: ReadText): string {
  try {
    return readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UsageError(
        `${file} does not exist. Run \`plan run\` first, or pass the path of the results.json it wrote.`,
      );
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder. Pass the results.json file inside it.`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${file} could not be read (${reason}). Check the path and its permissions.`);
  }
}
