/** A failed engine call: the engine's message and, when it answered, its HTTP status. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

export function engineStatus(err: unknown): number | undefined {
  return err instanceof EngineError ? err.status : undefined;
}

/** 404: the container, image, network, volume or path does not exist (any more). */
export function isNotFound(err: unknown): boolean {
  return engineStatus(err) === 404;
}

/** 404 about the container itself, not about a path inside it (`No such container:path: …`). */
export function isNoSuchContainer(err: unknown): boolean {
  return isNotFound(err) && err instanceof Error && /No such container:(?!path:)/i.test(err.message);
}

/** 409: a name taken, or a removal already in progress. */
export function isConflict(err: unknown): boolean {
  return engineStatus(err) === 409;
}
