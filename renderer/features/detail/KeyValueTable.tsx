// A two-column key/value table with a filter box: params, tags and environment variables can run
// to hundreds of entries.
import { useState } from 'react';

export function KeyValueTable({ label, entries, mono = true }: { label: string; entries: readonly (readonly [string, string])[]; mono?: boolean }) {
  const [needle, setNeedle] = useState('');
  if (entries.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  const shown = entries.filter(([k, v]) => needle === '' || `${k}\u0000${v}`.toLowerCase().includes(needle.toLowerCase()));
  return (
    <>
      {entries.length > 12 && <input className="kv-filter" aria-label={`Find in ${label}`} placeholder={`Find in ${entries.length} ${label.toLowerCase()}`} value={needle} onChange={(e) => setNeedle(e.target.value)} />}
      <table className="kv-table" aria-label={label}>
        <tbody>
          {shown.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className={mono ? 'mono' : undefined}>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
