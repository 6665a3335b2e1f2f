// One module on the canvas: coloured header with the module name, its label and a one-line summary,
// the input handle on the left and one output handle per outlet on the right. Validation errors turn
// it red; the simulator marks the nodes it passed and the one it is in.
import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps } from '@xyflow/react';
import { memo, useEffect } from 'react';
import type { FlowIssue, FlowNode, IvrCatalog } from '../../api-ivr-types';
import { useI18n, type TFunction } from '../../i18n';
import { outletsOf, TYPE_COLOR, typeKey } from './model';

export interface IvrNodeData extends Record<string, unknown> {
  node: Omit<FlowNode, 'position'>;
  issues: FlowIssue[];
  visited: boolean;
  current: boolean;
  catalog?: IvrCatalog;
}
export type IvrRfNode = Node<IvrNodeData, 'ivr'>;

type Prompt = { kind?: string; text?: string; promptId?: string } | undefined;

function promptSummary(p: Prompt, catalog: IvrCatalog | undefined, t: TFunction): string {
  if (!p) return '';
  if (p.kind === 'tts') return p.text ?? '';
  if (p.kind === 'file') return `♪ ${catalog?.prompts.find((x) => x.id === p.promptId)?.name ?? t('ivr.form.choosePrompt')}`;
  return '';
}

export function nodeSummary(node: Pick<FlowNode, 'type' | 'params'>, catalog: IvrCatalog | undefined, t: TFunction): string {
  const p = node.params as Record<string, unknown>;
  switch (node.type) {
    case 'toAgent': {
      if (p.mode === 'specifiedSeat') return t('ivr.form.mode.specifiedSeat');
      const g = catalog?.skillGroups.find((x) => x.id === p.skillGroupId);
      return g ? `${t('ivr.form.skillGroup')}：${g.name}` : t('ivr.form.chooseGroup');
    }
    case 'hours': {
      const w = (p.weekly as { days: number[]; ranges: { from: string; to: string }[] }[] | undefined) ?? [];
      return w.map((x) => `${x.days.map((d) => t(`ivr.weekday.${d}` as never)).join('')} ${x.ranges.map((r) => `${r.from}-${r.to}`).join(',')}`).join('；');
    }
    case 'collect':
      return `→ \${${String(p.variable ?? '')}}`;
    case 'http':
      return String(p.url ?? '');
    case 'toExternal': {
      const c = p.callee as { mode?: string; number?: string; url?: string } | undefined;
      return c?.mode === 'callback' ? String(c.url ?? '') : String(c?.number ?? '');
    }
    case 'toExtension':
      return t('ivr.node.extLength', { n: String(p.extensionLength ?? 4) });
    case 'condition':
      return t('ivr.node.branches', { n: ((p.branches as unknown[] | undefined) ?? []).length });
    case 'start':
      return '';
    default:
      return promptSummary((p.prompt as Prompt), catalog, t);
  }
}

function IvrNodeView({ id, data, selected }: NodeProps<IvrRfNode>) {
  const { t } = useI18n();
  const updateInternals = useUpdateNodeInternals();
  const { node, issues, visited, current, catalog } = data;
  const outlets = outletsOf(node, t);
  const outletKey = outlets.map((o) => o.name).join('|');
  // Handles come and go with the params (menu keys, branches): React Flow must measure them again.
  useEffect(() => updateInternals(id), [id, outletKey, updateInternals]);

  const typeName = t(typeKey(node.type));
  const summary = nodeSummary(node, catalog, t);
  const cls = ['ivr-node', selected && 'selected', issues.length && 'has-issues', visited && 'visited', current && 'current'].filter(Boolean).join(' ');
  return (
    <div className={cls} data-testid={`ivr-node-${id}`} data-type={node.type} data-error={issues.length > 0}
      data-visited={visited} data-current={current} data-selected={!!selected}
      title={issues.map((i) => i.message).join('\n') || undefined}>
      {node.type !== 'start' && <Handle type="target" position={Position.Left} id="in" className="ivr-handle-in" data-testid="ivr-handle-in" />}
      <div className="ivr-node-head" style={{ background: TYPE_COLOR[node.type] }}>
        <span>{typeName}</span>
        {issues.length > 0 && <span className="ivr-node-badge" data-testid="ivr-node-issues">{issues.length}</span>}
      </div>
      <div className="ivr-node-body">
        <div className="ivr-node-label" data-testid="ivr-node-label">{node.label || typeName}</div>
        {summary && <div className="ivr-node-summary">{summary}</div>}
      </div>
      {outlets.length > 0 && (
        <div className="ivr-node-outlets">
          {outlets.map((o) => (
            <div key={o.name} className={`ivr-outlet${node.outlets[o.name] ? ' wired' : ''}`}>
              <span className="ivr-outlet-label">{o.label}{o.optional && !node.outlets[o.name] ? ` · ${t('ivr.outlet.hangup')}` : ''}</span>
              <Handle type="source" position={Position.Right} id={o.name} className="ivr-handle-out" data-testid={`ivr-handle-out-${o.name}`} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const IvrNode = memo(IvrNodeView);
