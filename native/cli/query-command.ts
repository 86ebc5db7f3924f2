// `runledger query explain "…" [--json]`: what the filter language understood, without running it.
// Exits 1 when the query has errors, so scripts can check a filter before using it.
import type { QueryExplanation } from '../api/contract';
import { problemsMessage } from '../query/explanation';
import { parseArgs, UsageError } from './args';
import { connect } from './connect';
import { formatTable } from './format-table';
import type { CliIo } from './io';

export const QUERY_HELP = `Usage:
  runledger query explain "QUERY" [--json] [--data DIR]
Shows how a filter is read: the formal query, one line of English, each understood piece, compare
groups and any problems (with the words they point at). Examples:
  runledger query explain "highest auc with latency under 50 ms"
  runledger query explain "compare lr=1e-3 and lr=3e-4 on v2.1" --json
The same filters work in: runledger runs ls --filter "QUERY"`;

/** Minutes east of UTC here, so "today" and dates mean the user's days. */
export const localUtcOffset = (): number => -new Date().getTimezoneOffset();

export async function queryCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, { strings: ['data'], booleans: ['json'] });
  if (!sub || sub === '--help' || sub === '-h' || p.flags.help) {
    io.out(QUERY_HELP);
    return sub ? 0 : 2;
  }
  if (sub !== 'explain') throw new UsageError(`unknown command 'query ${sub}'\n${QUERY_HELP}`);
  if (p.positionals.length !== 1) throw new UsageError('give the query as one argument, in quotes: runledger query explain "val_auc > 0.8"');
  const conn = await connect(dataDir);
  try {
    const x = await conn.client['query.explain']({ text: p.positionals[0], utc_offset_minutes: localUtcOffset() });
    if (p.flags.json === true) {
      const { text, ok, formal, explanation, groups, problems, chips, sql } = x;
      io.out(JSON.stringify({ text, ok, formal, explanation, groups, problems, chips, sql }, null, 2));
    } else {
      io.out(explainText(x));
    }
    return x.ok ? 0 : 1;
  } finally {
    await conn.close();
  }
}

function explainText(x: QueryExplanation): string {
  const lines: string[] = [];
  if (x.ok) {
    lines.push(`formal   ${x.formal || '(everything)'}`, `meaning  ${x.explanation}`);
    if (x.chips.length > 0) {
      const rows = x.chips.map((c) => [c.kind, c.label, c.formal]);
      lines.push('', ...formatTable(['PIECE', 'UNDERSTOOD AS', 'FORMAL'], rows, 70).split('\n'));
    }
    if (x.groups) lines.push('', `compare  ${x.groups.map((g, i) => `group ${i + 1}: ${g.formal}`).join('\n         ')}`);
  } else {
    lines.push('cannot run this query:');
  }
  const problems = x.ok ? x.problems : x.problems.filter((p) => p.severity === 'error').concat(x.problems.filter((p) => p.severity === 'warning'));
  if (problems.length > 0) lines.push(...(x.ok ? ['', 'notes:'] : []), problemsMessage(x.text, problems));
  return lines.join('\n');
}
