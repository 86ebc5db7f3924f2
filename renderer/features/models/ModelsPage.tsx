// Models: registered models on the left; the chosen model's versions with stages, aliases and source
// runs on the right, the selected version's lineage back to its run (code, data, config, context,
// metrics), and promote/demote with a confirmation that says everything the move changes.
import { useState } from 'react';
import type { ModelVersionDetail, RegisteredModelSummary, StageChange } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { lineageOf } from './model-lineage';
import { stageActions, type StageAction } from './stage-actions';
import '../../styles/models.css';

export interface ModelsPageProps {
  client: ApiClient;
  /** Opens a run in the detail page. */
  onOpenRun?: (runId: string) => void;
}

const when = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export function ModelsPage({ client, onOpenRun }: ModelsPageProps) {
  const [reload, setReload] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);
  const models = useAsync((signal) => client.call('models.list', {}, { signal }), [client, reload]);
  if (models.status === 'error') return <section className="state error" role="alert"><h2>Could not load models</h2><p>{models.error.message}</p></section>;
  const list = models.status === 'ready' ? models.value : (models.stale ?? null);
  if (!list) return <p className="state" role="status">Loading models…</p>;
  if (list.length === 0) {
    return (
      <p className="state">
        No registered models yet. Log one with <code>mlflow.&lt;flavor&gt;.log_model(…, registered_model_name=…)</code>, or promote a run with{' '}
        <code>runledger registry promote MODEL --to staging --when "…"</code>.
      </p>
    );
  }
  const name = chosen && list.some((m) => m.name === chosen) ? chosen : list[0].name;
  return (
    <div className="models-page">
      <nav className="model-list" aria-label="Registered models">
        <ul>
          {list.map((m) => (
            <li key={m.name}>
              <button type="button" aria-current={m.name === name ? 'true' : undefined} onClick={() => setChosen(m.name)}>
                <strong>{m.name}</strong>
                <span className="muted">{modelBadges(m)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {/* Keyed by name only: a reload after a stage change keeps the chosen version and the message. */}
      <ModelDetail key={name} client={client} name={name} reload={reload} onOpenRun={onOpenRun} onChanged={() => setReload((n) => n + 1)} />
    </div>
  );
}

function modelBadges(m: RegisteredModelSummary): string {
  const stages = m.latest.filter((v) => v.stage === 'Production' || v.stage === 'Staging').map((v) => `${v.stage} v${v.version}`);
  return [`${m.version_count} version${m.version_count === 1 ? '' : 's'}`, ...stages].join(' · ');
}

interface ModelDetailProps {
  client: ApiClient;
  name: string;
  reload: number;
  onOpenRun?: (runId: string) => void;
  onChanged: () => void;
}

function ModelDetail({ client, name, reload, onOpenRun, onChanged }: ModelDetailProps) {
  const detail = useAsync((signal) => client.call('models.get', { name }, { signal }), [client, name, reload]);
  const [selected, setSelected] = useState<number | null>(null);
  const [pending, setPending] = useState<{ version: number; action: StageAction } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  if (detail.status === 'error') return <section className="state error" role="alert"><h2>Could not load {name}</h2><p>{detail.error.message}</p></section>;
  const m = detail.status === 'ready' ? detail.value : detail.stale;
  if (!m) return <p className="state" role="status">Loading {name}…</p>;
  const version = m.versions.find((v) => v.version === selected) ?? m.versions[0] ?? null;

  const confirm = async (): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    try {
      const change = await client.call('models.setStage', { model: m.name, version: pending.version, stage: pending.action.to });
      setPending(null);
      setMessage({ text: describeChange(change), error: false });
      onChanged();
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="content model-detail">
      <header>
        <h2>{m.name}</h2>
        {m.description && <p>{m.description}</p>}
        <p className="muted">
          Aliases: {m.aliases.length ? m.aliases.map((a) => `${a.alias} → v${a.version}`).join(', ') : 'none'} · updated {when(m.updated)}
        </p>
      </header>
      {message && <p className={message.error ? 'bad' : 'notice'} role="status">{message.text}</p>}
      <table className="kv-table model-versions">
        <thead>
          <tr><th>Version</th><th>Stage</th><th>Aliases</th><th>Source run</th><th>Source</th><th>Registered</th></tr>
        </thead>
        <tbody>
          {m.versions.map((v) => (
            <tr key={v.version} className={v.version === version?.version ? 'selected' : undefined} onClick={() => setSelected(v.version)}>
              <td><button type="button" className="link-button" onClick={() => setSelected(v.version)}>v{v.version}</button></td>
              <td><span className={`stage stage-${v.stage.toLowerCase()}`}>{v.stage}</span></td>
              <td>{v.aliases.join(', ') || '—'}</td>
              <td>{runCell(v, onOpenRun)}</td>
              <td className="mono">{v.source}</td>
              <td>{when(v.created)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {version && (
        <section aria-label={`Version ${version.version}`}>
          <h3>v{version.version} · {version.stage}</h3>
          <div className="stage-actions">
            {stageActions(version, m.versions).map((a) => (
              <button key={a.to} type="button" className={a.kind} disabled={busy} onClick={() => { setMessage(null); setPending({ version: version.version, action: a }); }}>
                {a.label}
              </button>
            ))}
          </div>
          {pending && pending.version === version.version && (
            <div className="confirm" role="alertdialog" aria-label="Confirm stage change">
              <p>{pending.action.confirm}</p>
              <button type="button" disabled={busy} onClick={() => void confirm()}>Confirm</button>
              <button type="button" disabled={busy} onClick={() => setPending(null)}>Cancel</button>
            </div>
          )}
          <Lineage version={version} />
        </section>
      )}
    </main>
  );
}

function runCell(v: ModelVersionDetail, onOpenRun?: (runId: string) => void) {
  if (v.source_run) {
    const r = v.source_run;
    return onOpenRun ? <button type="button" className="link-button" onClick={(e) => { e.stopPropagation(); onOpenRun(r.run_id); }}>{r.run_name}</button> : r.run_name;
  }
  return v.run_id ? <span className="muted" title="The run is not in this store">{v.run_id}</span> : '—';
}

function describeChange(c: StageChange): string {
  const parts = [`${c.model} v${c.version}: ${c.from} → ${c.to}.`];
  if (c.archived.length) parts.push(`Archived ${c.archived.map((n) => `v${n}`).join(', ')}.`);
  if (c.aliases_set.length) parts.push(`Alias ${c.aliases_set.join(', ')} → v${c.version}.`);
  if (c.aliases_removed.length) parts.push(`Removed alias ${c.aliases_removed.join(', ')}.`);
  return parts.join(' ');
}

function Lineage({ version }: { version: ModelVersionDetail }) {
  const sections = lineageOf(version);
  if (!sections) return <p className="muted">No source run in this store: the lineage of this version is unknown.</p>;
  return (
    <div className="lineage" aria-label="Lineage">
      <p className="muted">From run {version.source_run!.run_name} ({version.source_run!.run_id}) in {version.source_run!.experiment}, {version.source_run!.status.toLowerCase()}.</p>
      {sections.map((s) => (
        <section key={s.title} aria-label={s.title}>
          <h4>{s.title}</h4>
          {s.rows.length === 0 ? (
            <p className="muted">{s.empty}</p>
          ) : (
            <dl className="facts">
              {s.rows.map(([k, val]) => (
                <div key={k} className="fact">
                  <dt>{k}</dt>
                  <dd>{val}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      ))}
    </div>
  );
}
