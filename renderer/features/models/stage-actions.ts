// Which stage moves the Models page offers for a version, and the confirmation each one asks for.
// Pure: the page only renders these. Mirrors native/registry/stage-change.ts: promoting to Staging or
// Production archives the version holding that stage and points the stage's alias at this one.
import type { ModelStage, ModelVersionSummary } from '../../../native/api/contract';

export interface StageAction {
  /** Button label: "Promote to Production", "Demote to Archived". */
  label: string;
  to: ModelStage;
  kind: 'promote' | 'demote';
  /** The question the confirmation asks, naming everything the move changes. */
  confirm: string;
}

const ACTIVE: readonly ModelStage[] = ['Staging', 'Production'];

export function stageActions(v: ModelVersionSummary, all: readonly ModelVersionSummary[]): StageAction[] {
  const out: StageAction[] = [];
  for (const to of ACTIVE) {
    if (v.stage === to) continue;
    const holders = all.filter((o) => o.version !== v.version && o.stage === to).map((o) => `v${o.version}`);
    const archive = holders.length > 0 ? ` ${holders.join(', ')} ${holders.length === 1 ? 'leaves' : 'leave'} ${to} and ${holders.length === 1 ? 'is' : 'are'} archived.` : '';
    const alias = ` The alias '${to.toLowerCase()}' will point at v${v.version}.`;
    out.push({ label: `Promote to ${to}`, to, kind: 'promote', confirm: `Move ${v.name} v${v.version} from ${v.stage} to ${to}?${archive}${alias}` });
  }
  for (const to of ['Archived', 'None'] as const) {
    if (v.stage === to || (to === 'None' && v.stage === 'Archived')) continue;
    const dropped = ACTIVE.includes(v.stage) && v.aliases.includes(v.stage.toLowerCase()) ? ` The alias '${v.stage.toLowerCase()}' is removed.` : '';
    out.push({ label: to === 'Archived' ? 'Archive' : 'Clear stage', to, kind: 'demote', confirm: `Move ${v.name} v${v.version} from ${v.stage} to ${to}?${dropped}` });
  }
  return out;
}
