/**
 * Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}` / `${VAR?message}` (required), `$$` (a literal `$`).
 * Values come from the project's `.env` file only: an importer must not bake the importing
 * person's shell environment (and its secrets) into a plan; variables it cannot resolve are reported.
 */
export interface Interpolated {
  readonly text: string;
  /** Variables with no value and no default (compose substitutes an empty string and warns). */
  readonly unset: readonly string[];
  /** Variables whose default was used: at run time compose would prefer the environment's value. */
  readonly defaulted: readonly string[];
  /** `${VAR:?…}` / `${VAR?…}` that had no value: compose refuses to start. */
  readonly required: readonly string[];
}

const PATTERN =
  /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^}$]|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function interpolate(text: string, vars: Readonly<Record<string, string>>): Interpolated {
  const unset: string[] = [];
  const defaulted: string[] = [];
  const required: string[] = [];
  const out = text.replace(
    PATTERN,
    (
      _all,
      dollar: string | undefined,
      braced: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const missing = op?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (op === ':-' || op === '-') {
        if (!missing) return value!;
        defaulted.push(name);
        const inner = interpolate(arg ?? '', vars);
        unset.push(...inner.unset);
        defaulted.push(...inner.defaulted);
        required.push(...inner.required);
        return inner.text;
      }
      if (op === ':?' || op === '?') {
        if (missing) required.push(name);
        return value ?? '';
      }
      if (value === undefined) unset.push(name);
      return value ?? '';
    },
  );
  return { text: out, unset, defaulted, required };
}

/** `KEY=VALUE` lines of a `.env` / `env_file`: `#` comments, optional `export `, single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    vars[match[1]!] = value;
  }
  return vars;
}
