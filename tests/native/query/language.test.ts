// The pure pieces, without a store: tokens and their spans, units, relative times, precedence, and
// the English line. A hand-built vocabulary stands in for the store.
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../native/query/tokenizer';
import { convertForKey, keyUnit } from '../../../native/query/units';
import { timeMs } from '../../../native/query/time-ref';
import { parse } from '../../../native/query/parser';
import { resolve } from '../../../native/query/resolver';
import { renderFormal } from '../../../native/query/render-formal';
import { explainEnglish } from '../../../native/query/explain-english';
import { vocabularyOf } from '../../../native/query/vocabulary';
import { KeyIndex } from '../../../native/query/key-matcher';

const vocab = vocabularyOf({
  metrics: ['val_auc', 'val_loss', 'train_loss', 'latency', 'latency_p99_ms', 'step_time_s', 'throughput'],
  params: { lr: ['0.1', '0.01'], model: ['xgb', 'mlp'], 'batch-size': null },
  tags: { priority: ['p0', 'p1'], p0: [''] },
  datasets: [{ name: 'credit_risk_v2.1', digests: ['abc123'] }, { name: 'fraud_v2.1', digests: ['def456'] }],
  experiments: ['credit-risk'],
  runNames: ['xgb-baseline'],
});

const index = new KeyIndex(vocab);
function read(text: string) {
  const { query, problems } = resolve(parse(text, { isKeyName: (w) => index.isKeyWord(w) }), vocab, text);
  return { formal: renderFormal(query), problems, query };
}

describe('tokenizer', () => {
  it('keeps spans, glues units and dates, and splits entity keys', () => {
    const toks = tokenize("metrics.val_auc>=0.85 and latency < 50ms since 2026-11-01 params.`my key` = 'it''s'");
    expect(toks.map((t) => [t.kind, t.value])).toEqual([
      ['key', 'val_auc'], ['op', '>='], ['number', '0.85'], ['word', 'and'], ['word', 'latency'], ['op', '<'], ['number', '50'],
      ['word', 'since'], ['date', '2026-11-01'], ['key', 'my key'], ['op', '='], ['string', "it's"],
    ]);
    expect(toks[0].entity).toBe('metric');
    expect(toks[6]).toMatchObject({ num: 50, unit: 'ms', span: { start: 36, end: 40 } });
  });

  it('reads numbers with units, and digit-led words as words', () => {
    const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.value}${t.unit ? `/${t.unit}` : ''}`);
    expect(kinds('1.5GB 5% 1k 3e-4 2s 8a3f 2.11.0+cu130 7B')).toEqual([
      'number:1.5/GB', 'number:5/%', 'number:1/k', 'number:3e-4', 'number:2/s', 'word:8a3f', 'word:2.11.0+cu130', 'number:7/B',
    ]);
  });

  it('never throws: stray characters and open quotes become tokens', () => {
    expect(tokenize("a ; 'open").map((t) => t.kind)).toEqual(['word', 'other', 'string']);
    expect(tokenize("'open").at(-1)?.unterminated).toBe(true);
    expect(tokenize('😀').map((t) => t.text)).toEqual(['😀']);
  });
});

describe('units', () => {
  it.each([
    [50, 'ms', 'latency_ms', 50],
    [2, 's', 'latency_ms', 2000],
    [0.5, 'ms', 'step_time_s', 0.0005],
    [1.5, 'GB', 'mem_gb', 1.5],
    [1.5, 'GB', 'mem_bytes', 1.5e9],
    [1, 'GiB', 'mem_mib', 1024],
    [5, '%', 'error_pct', 5],
    [5, '%', 'error_rate', 0.05],
    [1, 'k', 'anything', 1000],
    [3, 'min', 'train_seconds', 180],
  ])('%s%s against %s is %s', (amount, unit, key, expected) => {
    expect(convertForKey(amount, unit, key)).toMatchObject({ ok: true, value: expected });
  });

  it('refuses a unit of another kind and notes a key without one', () => {
    expect(convertForKey(5, 'GB', 'latency_ms')).toEqual({ ok: false, message: 'latency_ms is in milliseconds, but 5GB is in gigabytes' });
    expect(convertForKey(50, 'ms', 'latency')).toMatchObject({ ok: true, value: 50, note: expect.stringContaining('no unit') });
    expect(keyUnit('gpuMemGb')?.name).toBe('gigabytes');
    expect(keyUnit('accuracy')).toBeUndefined();
  });
});

describe('relative times', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0);
  it('reads calendar words in the given UTC offset', () => {
    expect(timeMs({ anchor: 'today', minusDays: 0 }, { now, utcOffsetMinutes: 0 })).toBe(Date.UTC(2026, 10, 26));
    // 12:00 UTC is 21:00 in UTC+9: today began at 15:00 UTC the day before.
    expect(timeMs({ anchor: 'today', minusDays: 1 }, { now, utcOffsetMinutes: 540 })).toBe(Date.UTC(2026, 10, 24, 15));
    expect(timeMs({ anchor: 'date', date: '2026-11-01' }, { now, utcOffsetMinutes: -300 })).toBe(Date.UTC(2026, 10, 1, 5));
    expect(timeMs({ anchor: 'now', minus: { amount: 3, unit: 'h' } }, { now, utcOffsetMinutes: 0 })).toBe(now - 3 * 3_600_000);
  });
});

describe('grammar', () => {
  it('binds juxtaposition loosest, then or, then and, then not', () => {
    expect(read('model xgb or model mlp lr 0.1').formal).toBe("(params.model = 'xgb' or params.model = 'mlp') and params.lr = 0.1");
    expect(read('model xgb or model mlp and lr 0.1').formal).toBe("params.model = 'xgb' or params.model = 'mlp' and params.lr = 0.1");
    expect(read('not model xgb and lr 0.1').formal).toBe("not params.model = 'xgb' and params.lr = 0.1");
    expect(read('not (model xgb and lr 0.1)').formal).toBe("not (params.model = 'xgb' and params.lr = 0.1)");
  });

  it('reads compare groups with and, commas or vs, and the shared part after on/where', () => {
    expect(read('compare model xgb, model mlp').formal).toBe("compare (params.model = 'xgb') vs (params.model = 'mlp')");
    expect(read('compare model xgb and lr 0.1 vs model mlp on credit_risk_v2.1').formal).toBe(
      "compare (params.model = 'xgb' and params.lr = 0.1) vs (params.model = 'mlp') where datasets.name = 'credit_risk_v2.1'",
    );
    expect(read('compare (lr 0.1) vs (lr 0.01) vs (model mlp) order by val_auc desc').formal).toBe(
      'compare (params.lr = 0.1) vs (params.lr = 0.01) vs (params.model = \'mlp\') order by metrics.val_auc desc',
    );
  });

  it('picks the key whose unit fits the value, and keeps quoted keys whole', () => {
    expect(read('latency < 50ms').formal).toBe('metrics.latency < 50');
    expect(read('latency p99 < 2s').formal).toBe('metrics.latency_p99_ms < 2000');
    expect(read('batch size 32').formal).toBe('params.`batch-size` = 32');
    expect(read('params.`batch-size` >= 64').formal).toBe('params.`batch-size` >= 64');
  });

  it('reads "tagged X" as a tag named X or any tag set to X', () => {
    expect(read('tagged p0').formal).toBe("tags.p0 is not null or tags.priority = 'p0'");
    expect(read('tagged p0 and model xgb').formal).toBe("(tags.p0 is not null or tags.priority = 'p0') and params.model = 'xgb'");
  });

  it('asks when a version names two datasets, and when a word is two keys', () => {
    const v = read('on v2.1');
    expect(v.problems[0]).toMatchObject({ code: 'ambiguous', candidates: ['credit_risk_v2.1', 'fraud_v2.1'], span: { start: 3, end: 7 } });
    expect(read('loss < 1').problems[0]).toMatchObject({ code: 'ambiguous', candidates: ['metrics.val_loss', 'metrics.train_loss'] });
  });

  it('notes a unit it cannot convert without refusing the query', () => {
    const r = read('latency < 50ms');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'unit' })]);
  });
});

describe('long and hostile input', () => {
  it('reads a 10,000-character query in well under a second, whatever it holds', () => {
    const big = vocabularyOf({ metrics: Array.from({ length: 200 }, (_, i) => `metric_${i}_loss`), params: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, Array.from({ length: 100 }, (_, j) => `v${j}`)])) });
    for (const text of ['banana '.repeat(1400), 'metric '.repeat(1400), 'a b c d e f g '.repeat(700), `${'p1 > 1 and '.repeat(800)}p1 > 1`, 'faild '.repeat(1600)]) {
      const t0 = performance.now();
      resolve(parse(text), big, text);
      expect(performance.now() - t0, text.slice(0, 20)).toBeLessThan(1000);
    }
  });
});

describe('English', () => {
  it.each([
    ['val_auc > 0.85 and latency < 50ms', 'Runs where val_auc is above 0.85 and latency is below 50.'],
    ['highest val_auc', 'The run with the highest val_auc.'],
    ['top 3 by val_loss', 'The 3 runs with the lowest val_loss.'],
    ['model xgb order by lr desc', 'Runs where model is xgb, sorted by highest lr.'],
    ['val_loss ever nan', 'Runs where val_loss was NaN at some point.'],
    ['min val_loss < 0.3', 'Runs where the lowest val_loss is below 0.3.'],
    ['compare model xgb vs model mlp', 'Compare 2 groups: model is xgb vs model is mlp.'],
    ['', 'All runs.'],
  ])('%s', (text, english) => {
    const { query } = resolve(parse(text), vocab, text);
    expect(explainEnglish(query)).toBe(english);
  });
});
