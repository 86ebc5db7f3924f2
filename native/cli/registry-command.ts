// `runledger registry promote|rules|ls|show`: the model registry from the terminal and from CI.
// Exit codes: 0 done (or the dry run found a run), 1 refused (nothing matches, no model, bad rule),
// 2 usage.
import type { PromotionOutcome, PromotionRuleSummary, RegisteredModelDetail, RegisteredModelSummary } from '../api/contract';
import { connect } from './connect';
import { parseArgs, stringFlag, UsageError } from './args';
import { formatTable, formatTime, formatValue } from './format-table';
import type { CliIo } from './io';
import { localUtcOffset } from './query-command';

export const REGISTRY_HELP = `Usage:
  runledger registry promote MODEL --to staging|production --when "CONDITION" [--experiment E]
                             [--alias NAME] [--dry-run] [--save RULE] [--json]
      Picks the best run that satisfies CONDITION (the filter language: runledger query explain),
      registers its model as a version of MODEL (or reuses the version it already is), moves it to
      the stage (archiving the version that held it), points the stage's alias at it (staging,
      production, or --alias) and records an audit event. Best = the condition's own superlative
      ("highest auc with latency under 45ms"), else the first metric in the condition in that
      metric's direction (loss, latency: lower is better). Refused (exit 1) when no run matches.
      --dry-run shows what it would do and changes nothing; --save RULE keeps the rule for re-runs.
  runledger registry rules ls [--json]            saved rules, with what each last did
  runledger registry rules run RULE [--dry-run] [--json]
  runledger registry ls [--json]                  registered models, stages and aliases
  runledger registry show MODEL [--json]          versions with their source runs
Every command takes --data DIR. Example:
  runledger registry promote churn --to staging --when "val_auc > 0.85 and latency under 45ms" --dry-run`;

export async function registryCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, { strings: ['to', 'when', 'experiment', 'alias', 'save', 'data'], booleans: ['json', 'dry-run'] });
  if (!sub || sub === '--help' || sub === '-h' || p.flags.help) {
    io.out(REGISTRY_HELP);
    return sub ? 0 : 2;
  }
  const json = p.flags.json === true;
  const dryRun = p.flags['dry-run'] === true;
  const print = (value: unknown, text: string): void => io.out(json ? JSON.stringify(value, null, 2) : text);
  const one = (what: string): string => {
    if (p.positionals.length !== 1) throw new UsageError(`give one ${what}\n${REGISTRY_HELP}`);
    return p.positionals[0];
  };
  if (sub === 'promote') {
    const model = one('MODEL');
    const to = stringFlag(p, 'to');
    const when = stringFlag(p, 'when');
    if (!to || !when) throw new UsageError('registry promote needs --to STAGE and --when "CONDITION"');
    return withClient(dataDir, async (c) => {
      const outcome = await c['models.promote']({ model, to, when, experiment: stringFlag(p, 'experiment'), alias: stringFlag(p, 'alias'), dryRun, save: stringFlag(p, 'save'), utc_offset_minutes: localUtcOffset() });
      print(outcome, outcomeText(outcome));
      return 0;
    });
  }
  if (sub === 'rules') {
    const [action, ...names] = p.positionals;
    if (action === 'ls' || action === 'list') {
      return withClient(dataDir, async (c) => {
        const rules = await c['models.rules']({});
        print(rules, rulesText(rules));
        return 0;
      });
    }
    if (action === 'run' && names.length === 1) {
      return withClient(dataDir, async (c) => {
        const outcome = await c['models.runRule']({ name: names[0], dryRun, utc_offset_minutes: localUtcOffset() });
        print(outcome, outcomeText(outcome));
        return 0;
      });
    }
    throw new UsageError(`use 'registry rules ls' or 'registry rules run RULE'\n${REGISTRY_HELP}`);
  }
  if (sub === 'ls' || sub === 'list') {
    return withClient(dataDir, async (c) => {
      const models = await c['models.list']({});
      print(models, modelsText(models));
      return 0;
    });
  }
  if (sub === 'show') {
    const name = one('MODEL');
    return withClient(dataDir, async (c) => {
      const m = await c['models.get']({ name });
      print(m, modelText(m));
      return 0;
    });
  }
  throw new UsageError(`unknown command 'registry ${sub}'\n${REGISTRY_HELP}`);
}

async function withClient(dataDir: string, fn: (c: Awaited<ReturnType<typeof connect>>['client']) => Promise<number>): Promise<number> {
  const conn = await connect(dataDir);
  try {
    return await fn(conn.client);
  } finally {
    await conn.close();
  }
}

function outcomeText(o: PromotionOutcome): string {
  const verb = o.dry_run ? 'Would promote' : 'Promoted';
  const version = o.version_action === 'reused' ? `version ${o.version} (already registered from this run)` : `${o.dry_run ? 'new ' : ''}version ${o.version}`;
  const metrics = Object.entries(o.run.metrics).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ');
  const lines = [
    `${verb} ${o.model} ${version} to ${o.stage} (alias '${o.alias}').`,
    `  rule       ${o.condition}${o.rule ? `   [saved as ${o.rule}]` : ''}`,
    `  read as    ${o.formal}`,
    `  ranked by  ${o.ranking}`,
    `  run        ${o.run.run_name} (${o.run.run_id}) in ${o.run.experiment}, best of ${o.matched} matching run(s)`,
    `  metrics    ${metrics || '-'}`,
    `  model      ${o.model_source}  (${o.found})`,
  ];
  if (o.model_created) lines.push(`  registered model '${o.model}' ${o.dry_run ? 'would be' : 'was'} created`);
  if (o.previous_stage && o.previous_stage !== o.stage) lines.push(`  stage      ${o.previous_stage} → ${o.stage}`);
  if (o.archived.length > 0) lines.push(`  archived   version(s) ${o.archived.join(', ')} ${o.dry_run ? '(would be)' : ''}`.trimEnd());
  for (const s of o.skipped) lines.push(`  passed over ${s.run_name} (${s.run_id}): ${s.reason}`);
  lines.push(o.dry_run ? '  dry run: nothing was changed.' : `  audit      ${o.audit}`);
  return lines.join('\n');
}

function rulesText(rules: PromotionRuleSummary[]): string {
  if (rules.length === 0) return 'No saved rules. Save one with: runledger registry promote MODEL --to staging --when "…" --save NAME';
  const rows = rules.map((r) => [r.name, r.model, r.stage, r.condition, r.experiment ?? '-', formatTime(r.last_run_at), r.last_result ? `v${r.last_result.version} (${r.last_result.run.run_name})` : '-']);
  return formatTable(['RULE', 'MODEL', 'STAGE', 'CONDITION', 'EXPERIMENT', 'LAST RUN', 'LAST RESULT'], rows, 60);
}

function modelsText(models: RegisteredModelSummary[]): string {
  if (models.length === 0) return 'No registered models yet.';
  const rows = models.map((m) => [
    m.name,
    String(m.version_count),
    m.latest.filter((v) => v.stage !== 'None').map((v) => `${v.stage}: v${v.version}`).join(', ') || '-',
    m.aliases.map((a) => `${a.alias}→v${a.version}`).join(', ') || '-',
    formatTime(m.updated),
  ]);
  return formatTable(['MODEL', 'VERSIONS', 'STAGES', 'ALIASES', 'UPDATED'], rows, 60);
}

function modelText(m: RegisteredModelDetail): string {
  const head = [`${m.name}${m.description ? `: ${m.description}` : ''}`, `  aliases: ${m.aliases.map((a) => `${a.alias}→v${a.version}`).join(', ') || '-'}`, ''];
  const rows = m.versions.map((v) => [
    `v${v.version}`,
    v.stage,
    v.aliases.join(', ') || '-',
    v.source_run ? `${v.source_run.run_name} (${v.source_run.run_id})` : v.run_id ?? '-',
    v.source,
    formatTime(v.created),
  ]);
  return [...head, formatTable(['VERSION', 'STAGE', 'ALIASES', 'SOURCE RUN', 'SOURCE', 'CREATED'], rows, 60)].join('\n');
}
