// The view state as React state, kept in the address bar: every change replaces or pushes a history
// entry (page changes push, so Back returns to the previous page; typing and selecting replace, so
// Back does not step through every click), and Back/Forward restore the state from the URL.
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseViewState, serializeViewState, updateViewState, type ViewState } from './view-state';

export type SetViewState = (patch: Partial<ViewState>, options?: { push?: boolean }) => void;

export function useViewState(): [ViewState, SetViewState] {
  const [state, setState] = useState<ViewState>(() => parseViewState(window.location.search));
  // The latest state outside React's updater: history calls are side effects, and an updater may
  // run twice (StrictMode), which would push two entries.
  const current = useRef(state);

  useEffect(() => {
    const onPop = (): void => {
      current.current = parseViewState(window.location.search);
      setState(current.current);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const update = useCallback<SetViewState>((patch, options = {}) => {
    const previous = current.current;
    const next = updateViewState(previous, patch);
    current.current = next;
    const { pathname, search, hash } = window.location;
    const url = `${pathname}${serializeViewState(next)}${hash}`;
    if (url !== `${pathname}${search}${hash}`) {
      if (options.push ?? next.view !== previous.view) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    }
    setState(next);
  }, []);

  return [state, update];
}
