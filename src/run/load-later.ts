/**
 * A module that a run needs at its end only: it loads once the engine is at work (`onEvent` sees
 * the first container step start), or on first use when no such step comes (everything cached).
 */
import { engineAtWork, type EventSink } from '../execute/events.js';

export interface LoadLater<T> {
  readonly onEvent: EventSink;
  get(): Promise<T>;
}

export function loadLater<T>(load: () => Promise<T>): LoadLater<T> {
  let loaded: Promise<T> | undefined;
  const get = (): Promise<T> => {
    if (!loaded) {
      loaded = load();
      loaded.catch(() => undefined); // thrown where it is awaited, never an unhandled rejection
    }
    return loaded;
  };
  return {
    onEvent: (event) => {
      if (!loaded && engineAtWork(event)) void get();
    },
    get,
  };
}
