// The column chooser: every column the store has keys for, grouped, with a checkbox each; the
// choice goes into the URL with the rest of the view. A filter box narrows long key lists.
import { useState } from 'react';
import type { ColumnDef, ColumnGroup } from './column-model';

export interface ColumnChooserProps {
  available: readonly ColumnDef[];
  shown: readonly string[];
  onToggle: (id: string) => void;
  onReset: () => void;
}

const GROUPS: { group: ColumnGroup; label: string }[] = [
  { group: 'attribute', label: 'Run' },
  { group: 'metric', label: 'Metrics (latest)' },
  { group: 'param', label: 'Params' },
  { group: 'tag', label: 'Tags' },
  { group: 'lineage', label: 'Provenance' },
];

export function ColumnChooser({ available, shown, onToggle, onReset }: ColumnChooserProps) {
  const [needle, setNeedle] = useState('');
  const match = (c: ColumnDef): boolean => needle === '' || c.label.toLowerCase().includes(needle.toLowerCase());
  return (
    <details className="column-chooser">
      <summary>Columns ({shown.length})</summary>
      <div className="column-chooser-panel" role="group" aria-label="Columns">
        <div className="column-chooser-top">
          <input aria-label="Find a column" placeholder="Find a column" value={needle} onChange={(e) => setNeedle(e.target.value)} />
          <button type="button" className="link-button" onClick={onReset}>
            Reset
          </button>
        </div>
        {GROUPS.map(({ group, label }) => {
          const items = available.filter((c) => c.group === group && match(c));
          if (items.length === 0) return null;
          return (
            <fieldset key={group}>
              <legend>{label}</legend>
              {items.map((c) => (
                <label key={c.id}>
                  <input type="checkbox" checked={shown.includes(c.id)} onChange={() => onToggle(c.id)} />
                  {c.label}
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}
