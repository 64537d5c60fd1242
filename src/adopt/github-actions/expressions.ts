/**
 * `${{ … }}` in a workflow value → a plan value. `secrets.X` as the whole value → `secretFromEnv('X')`;
 * `env.X` → the workflow/job env's value; anything else (matrix, github, needs, steps) has no plan
 * equivalent and is reported. A secret inside a longer string cannot be spliced into a plan value:
 * the whole variable becomes `secretFromEnv(<its own name>)`, to be exported with the full value.
 */
import { secretFromEnvCall, type DraftValue } from '../plan/draft.js';

const EXPRESSION = /\$\{\{\s*([^}]*?)\s*\}\}/g;

export interface ExpressionSink {
  guess(text: string): void;
  warn(text: string): void;
}

export function mapValue(
  key: string,
  raw: unknown,
  env: Readonly<Record<string, string>>,
  sink: ExpressionSink,
): DraftValue {
  const text = raw === null || raw === undefined ? '' : String(raw);
  const whole = /^\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(text.trim());
  if (whole) return secretFromEnvCall(whole[1]!);
  if (/\$\{\{\s*secrets\./.test(text)) {
    sink.guess(
      `${key} was \`${text}\`: a secret inside a longer value; export ${key} with the whole value when running the plan`,
    );
    return secretFromEnvCall(key);
  }
  return substitute(text, env, sink);
}

/** Replaces `${{ env.X }}` and reports other expressions (left empty). */
export function substitute(text: string, env: Readonly<Record<string, string>>, sink: ExpressionSink): string {
  return text.replace(EXPRESSION, (all, expr: string) => {
    const envRef = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
    if (envRef && env[envRef[1]!] !== undefined) return env[envRef[1]!]!;
    if (/^runner\.temp$/.test(expr)) return '/tmp';
    if (/^github\.workspace$/.test(expr)) return WORKSPACE;
    sink.warn(`\`${all}\` has no equivalent in a plan: it is left empty`);
    return '';
  });
}

/** Where the repository (actions/checkout) is mounted in phase containers. */
export const WORKSPACE = '/workspace';
