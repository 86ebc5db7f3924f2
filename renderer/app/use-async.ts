// Loading/ready/error state for one async call, re-run when `deps` change. Results that arrive after
// the deps changed (or after unmount) are dropped, so a slow old response cannot overwrite a new one.
import { useEffect, useState, type DependencyList } from 'react';

export type AsyncState<T> =
  /** `stale` is the previous value while a reload runs, so tables do not blink away. */
  | { status: 'loading'; stale?: T }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: Error };

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => {
      if (previous.status === 'ready') return { status: 'loading', stale: previous.value };
      return previous.status === 'loading' ? previous : { status: 'loading' };
    });
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, deps); // the caller names what `load` depends on
  return state;
}
