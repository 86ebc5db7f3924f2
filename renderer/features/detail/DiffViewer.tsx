// A unified diff with line numbers, additions and removals coloured, and a one-line summary.
import { diffStats, parseUnifiedDiff } from './diff-lines';

export function DiffViewer({ diff }: { diff: string }) {
  const lines = parseUnifiedDiff(diff);
  const stats = diffStats(lines);
  if (lines.length === 0) return <p className="muted">The diff is empty.</p>;
  return (
    <div className="diff-viewer">
      <p className="muted">
        {stats.files} file{stats.files === 1 ? '' : 's'} changed, <span className="diff-add-count">+{stats.added}</span> <span className="diff-del-count">−{stats.removed}</span>
      </p>
      <table className="diff-table">
        <tbody>
          {lines.map((l, i) => (
            <tr key={i} className={`diff-${l.kind}`}>
              <td className="diff-no">{l.oldNo ?? ''}</td>
              <td className="diff-no">{l.newNo ?? ''}</td>
              <td className="diff-text">
                <pre>{l.text}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
