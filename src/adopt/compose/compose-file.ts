/** Reads a compose file: YAML, then compose's interpolation over every string, from the project's `.env`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { AdoptError } from '../adopt-error.js';
import { interpolate, parseEnvFile } from './interpolate.js';

export type Yaml = string | number | boolean | null | undefined | Yaml[] | { [key: string]: Yaml };
export type YamlMap = { [key: string]: Yaml };

export interface ComposeFile {
  readonly file: string;
  readonly dir: string;
  readonly services: Readonly<Record<string, YamlMap>>;
  /** Top-level keys other than `services` (volumes, networks, x-…). */
  readonly topLevel: YamlMap;
  /** Interpolation findings, worded for a person: `${DB_PASSWORD} is not set …`. */
  readonly interpolation: {
    readonly unset: readonly string[];
    readonly defaulted: readonly string[];
    readonly required: readonly string[];
  };
}

export function readComposeFile(file: string): ComposeFile {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'), { merge: true });
  } catch (error) {
    throw new AdoptError(
      `${file}: not a readable YAML file (${(error as Error).message}). Pass a docker-compose file.`,
    );
  }
  if (!isMap(doc) || !isMap(doc.services)) {
    throw new AdoptError(
      `${file}: no 'services:' map at the top level. Pass a docker-compose file (docker-compose.yml, compose.yaml).`,
    );
  }
  const dir = dirname(file);
  const dotenvFile = join(dir, '.env');
  const dotenv = existsSync(dotenvFile) ? parseEnvFile(readFileSync(dotenvFile, 'utf8')) : {};
  const unset = new Set<string>();
  const defaulted = new Set<string>();
  const required = new Set<string>();
  const walk = (value: Yaml, inEnvironment = false): Yaml => {
    if (typeof value === 'string') {
      // `KEY: ${VAR}` with VAR nowhere in .env: compose takes it from the shell; the plan, from the
      // environment of `plan run` (see FROM_ENVIRONMENT), instead of an empty value.
      const whole = inEnvironment ? /^(?:[A-Za-z_][A-Za-z0-9_]*=)?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value) : null;
      if (whole && dotenv[whole[1]!] === undefined)
        return value.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, `${FROM_ENVIRONMENT}${whole[1]}`);
      const r = interpolate(value, dotenv);
      r.unset.forEach((v) => unset.add(v));
      r.defaulted.forEach((v) => defaulted.add(v));
      r.required.forEach((v) => required.add(v));
      return r.text;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, inEnvironment));
    if (isMap(value))
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, inEnvironment || k === 'environment')]),
      );
    return value;
  };
  const services: Record<string, YamlMap> = {};
  for (const [name, raw] of Object.entries(doc.services)) {
    const interpolated = walk(raw as Yaml);
    services[name] = isMap(interpolated) ? interpolated : {};
  }
  const { services: _services, ...topLevel } = doc as YamlMap;
  return {
    file,
    dir,
    services,
    topLevel,
    interpolation: { unset: [...unset], defaulted: [...defaulted], required: [...required] },
  };
}

/** Marks an environment value that is exactly an unset `${VAR}`: `secretFromEnv('VAR')` in the plan. */
export const FROM_ENVIRONMENT = '\u0000from-environment:';

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
