import { EXIT, UserError } from '../errors.js';

/** An input `plan init` / `import` / `export` cannot use, or a file it will not overwrite: exit 2, nothing written. */
export class AdoptError extends UserError {
  readonly code = 'ADOPT_INPUT';
  readonly exitCode = EXIT.invalid;
}
