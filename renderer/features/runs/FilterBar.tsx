// The filter bar: type what you mean ("highest auc with latency under 50 ms"); it shows what it
// understood as removable chips, the formal query (editable), completions from the store, and the
// words it could not place highlighted with what they might mean. Explaining is a read-only RPC, run
// as you type (debounced); the query runs only when you apply it and it has no errors.
import { useEffect, useState, type FormEvent } from 'react';
import type { QueryExplanation } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';

export interface FilterBarProps {
  client: ApiClient;
  /** The query to run, or '' for no filter. */
  onApply: (text: string) => void;
  /** `compare A vs B`: hands the groups to the Compare view, where there is one. */
  onCompare?: (groups: NonNullable<QueryExplanation['groups']>) => void;
  /** Milliseconds of quiet typing before the text is explained. */
  debounceMs?: number;
  /** The user's UTC offset in minutes east, so "today" means their today. */
  utcOffsetMinutes?: number;
  /** The applied filter when the bar opens (from a bookmarked URL), and after Back/Forward. */
  initialText?: string;
}

const chip = { display: 'inline-flex', gap: 4, alignItems: 'center', padding: '1px 8px', border: '1px solid var(--border)', borderRadius: 12, background: 'var(--bg-raised)' } as const;
const row = { display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', margin: '6px 0 0', padding: 0, listStyle: 'none' } as const;

export function FilterBar({ client, onApply, onCompare, debounceMs = 200, utcOffsetMinutes = -new Date().getTimezoneOffset(), initialText = '' }: FilterBarProps) {
  const [text, setText] = useState(initialText);
  const [applied, setApplied] = useState(initialText.trim());
  const [formal, setFormal] = useState('');
  const [x, setX] = useState<QueryExplanation | null>(null);

  // The filter changed from outside (Back/Forward through the URL): show that one.
  useEffect(() => {
    if (initialText.trim() === applied) return;
    setText(initialText);
    setApplied(initialText.trim());
  }, [initialText]); // eslint-disable-line react-hooks/exhaustive-deps -- only outside changes matter

  useEffect(() => {
    if (text.trim() === '') {
      setX(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.call('query.explain', { text, utc_offset_minutes: utcOffsetMinutes }, { signal: controller.signal }).then(
        (e) => {
          if (controller.signal.aborted) return;
          setX(e);
          setFormal(e.formal);
        },
        () => undefined, // the next keystroke asks again; a failed explain changes nothing shown
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, text, debounceMs, utcOffsetMinutes]);

  const current = x && x.text === text ? x : null;
  const apply = (query: string): void => {
    setText(query);
    setApplied(query.trim());
    onApply(query.trim());
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (text.trim() === '' || current?.ok) apply(text);
  };
  const error = current?.problems.find((p) => p.severity === 'error') ?? null;
  const warnings = current?.problems.filter((p) => p.severity === 'warning') ?? [];
  /** Replaces the word being typed (or a problem's span) with `word`. */
  const replace = (start: number, end: number, word: string): void => setText(`${text.slice(0, start)}${word}${text.slice(end)}`);
  const lastWord = /[\p{L}\p{N}_.\-/]+$/u.exec(text);

  return (
    <section className="filter-bar" aria-label="Filter">
      <form role="search" onSubmit={submit} style={{ display: 'flex', gap: 8 }}>
        <input
          aria-label="Filter runs"
          value={text}
          placeholder="Filter: highest auc with latency under 50 ms, failed runs last week, lr=1e-3 on v2.1 (Enter applies)"
          onChange={(e) => setText(e.target.value)}
          style={{ flex: 1, font: 'inherit', padding: '4px 8px' }}
        />
        {/* Only when they would do something: Enter applies too, and an idle bar stays quiet. */}
        {text.trim() !== applied && (
          <button type="submit" disabled={text.trim() !== '' && !current?.ok}>
            Apply
          </button>
        )}
        {(text !== '' || applied !== '') && (
          <button type="button" onClick={() => apply('')}>
            Clear
          </button>
        )}
      </form>

      {current && current.completions.length > 0 && lastWord && (
        <ul aria-label="Completions" style={row}>
          {current.completions.map((c) => (
            <li key={c}>
              <button type="button" className="link-button" onClick={() => replace(lastWord.index, text.length, c)}>
                {c}
              </button>
            </li>
          ))}
        </ul>
      )}

      {error && (
        <div role="alert" className="filter-error">
          <code>
            {text.slice(0, error.start)}
            <mark>{text.slice(error.start, error.end) || ' '}</mark>
            {text.slice(error.end)}
          </code>{' '}
          {error.message}
          {error.candidates.length > 0 && <span className="muted">: </span>}
          {error.candidates.map((c) => (
            <button key={c} type="button" className="link-button" onClick={() => replace(error.start, error.end, c)}>
              {c}
            </button>
          ))}
        </div>
      )}

      {current?.ok && (
        <>
          <ul aria-label="Understood" style={row}>
            {current.chips.map((c, i) => (
              <li key={`${c.kind}-${i}`} style={chip} title={c.formal} data-kind={c.kind}>
                {c.label}
                <button type="button" className="link-button" aria-label={`Remove ${c.label}`} onClick={() => apply(c.without)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <form
            style={{ display: 'flex', gap: 8, marginTop: 6 }}
            onSubmit={(e) => {
              e.preventDefault();
              apply(formal);
            }}
          >
            <input aria-label="Formal query" value={formal} onChange={(e) => setFormal(e.target.value)} style={{ flex: 1, font: '12px var(--mono)', padding: '2px 6px' }} />
            {current.groups && onCompare && (
              <button type="button" onClick={() => onCompare(current.groups!)}>
                Compare {current.groups.length} groups
              </button>
            )}
          </form>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            {current.explanation}
            {warnings.map((w) => ` Note: ${w.message}.`).join('')}
          </p>
        </>
      )}
    </section>
  );
}
