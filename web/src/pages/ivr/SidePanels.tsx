// The designer's side panels: the selected node's fields and outlets (NodePanel), or the flow's own
// variables and the system variables (FlowPanel).
import type { FlowIssue, FlowVariable, IvrCatalog, IvrFlow } from '../../api-ivr-types';
import { CopyButton } from '../../components/Secret';
import { currentLang, useI18n, type MessageKey } from '../../i18n';
import { localizeServerMessage } from '../../i18n/server-message';
import type { IvrRfNode } from './IvrNode';
import { outletsOf, setIn, TYPE_COLOR, typeKey, type Path } from './model';
import { NodeForm, type FormCtx } from './NodeForm';

export function NodePanel({ node, nodes, catalog, variables, issues, onChange, onDelete }: {
  node: IvrRfNode['data']['node'];
  nodes: IvrRfNode[];
  catalog: IvrCatalog | undefined;
  variables: string[];
  issues: FlowIssue[];
  lang: string;
  onChange: (fn: (n: IvrRfNode['data']['node']) => IvrRfNode['data']['node']) => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  const msg = (m: string) => localizeServerMessage(m, currentLang());
  const ctx: FormCtx = {
    params: node.params as Record<string, unknown>,
    set: (path: Path, value: unknown) => onChange((n) => ({ ...n, params: setIn(n.params, path, value) })),
    err: (path: Path) => {
      const key = ['params', ...path].join('.');
      const hit = issues.find((i) => i.field === key || i.field.startsWith(`${key}.`));
      return hit ? msg(hit.message) : undefined;
    },
    catalog,
    variables,
    t,
  };
  const outlets = outletsOf(node, t);
  const others = issues.filter((i) => !i.field.startsWith('params.') && !i.field.startsWith('outlets.'));
  const outletErr = (name: string) => issues.find((i) => i.field === `outlets.${name}`);

  return (
    <div className="node-panel" data-testid="node-panel" data-node-id={node.id} data-type={node.type}>
      <div className="node-panel-head">
        <span className="palette-dot" style={{ background: TYPE_COLOR[node.type] }} />
        <h2>{t(typeKey(node.type))}</h2>
        {node.type !== 'start' && (
          <button type="button" className="link link-danger" onClick={onDelete} data-testid="node-delete">{t('common.delete')}</button>
        )}
      </div>
      <div className="node-id">
        <span className="muted">{t('ivr.designer.nodeId')}</span>
        <code data-testid="node-id">{node.id}</code>
        <CopyButton text={node.id} testId="node-copy-id" />
      </div>
      {others.map((i, k) => <div key={k} className="banner banner-error" role="alert">{msg(i.message)}</div>)}
      <div className="pfield">
        <label className="pfield-label" htmlFor="node-label">{t('ivr.designer.nodeLabel')}</label>
        <div className="pfield-control">
          <input id="node-label" maxLength={64} value={node.label} onChange={(e) => onChange((n) => ({ ...n, label: e.target.value }))}
            data-testid="node-field-label" />
        </div>
      </div>
      <NodeForm type={node.type} ctx={ctx} />
      {outlets.length > 0 && (
        <div className="outlets-box">
          <h3>{t('ivr.designer.outlets')}</h3>
          {outlets.map((o) => {
            const e = outletErr(o.name);
            return (
              <div key={o.name} className={`pfield${e ? ' has-error' : ''}`}>
                <label className="pfield-label">{o.label}</label>
                <div className="pfield-control">
                  <select value={node.outlets[o.name] ?? ''} data-testid={`outlet-select-${o.name}`} aria-invalid={!!e}
                    onChange={(ev) => onChange((n) => {
                      const outlets = { ...n.outlets };
                      if (ev.target.value) outlets[o.name] = ev.target.value;
                      else delete outlets[o.name];
                      return { ...n, outlets };
                    })}>
                    <option value="">{o.optional ? t('ivr.outlet.unwiredHangup') : t('ivr.outlet.unwired')}</option>
                    {nodes.filter((x) => x.data.node.type !== 'start').map((x) => (
                      <option key={x.id} value={x.id}>
                        {(x.data.node.label || t(typeKey(x.data.node.type)))}（{t(typeKey(x.data.node.type))}）
                      </option>
                    ))}
                  </select>
                  {e && <div className="field-error" data-testid={`field-error-outlet-${o.name}`}>{msg(e.message)}</div>}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
export function FlowPanel({ flow, variables, catalog, issues, onChange }: {
  flow: IvrFlow | undefined; variables: FlowVariable[]; catalog: IvrCatalog | undefined; issues: FlowIssue[];
  onChange: (v: FlowVariable[]) => void;
}) {
  const { t, lang } = useI18n();
  const msg = (m: string) => localizeServerMessage(m, currentLang());
  const set = (i: number, patch: Partial<FlowVariable>) => onChange(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <div className="flow-panel" data-testid="flow-panel">
      <p className="muted">{t('ivr.designer.selectHint')}</p>
      {flow?.description && <p>{flow.description}</p>}
      {issues.map((i, k) => <div key={k} className="banner banner-error" role="alert">{msg(i.message)}</div>)}
      <h3>{t('ivr.designer.variables')}</h3>
      <p className="muted small">{t('ivr.designer.variablesHint')}</p>
      <div className="plist" data-testid="flow-vars">
        {variables.map((v, i) => (
          <div key={i} className="plist-item">
            <div className="plist-body inline-fields wrap">
              <input className="mono" style={{ width: 130 }} placeholder={t('ivr.designer.varName')} value={v.name}
                onChange={(e) => set(i, { name: e.target.value })} data-testid={`var-${i}-name`} />
              <input style={{ width: 110 }} placeholder={t('ivr.designer.varDefault')} value={v.default}
                onChange={(e) => set(i, { default: e.target.value })} data-testid={`var-${i}-default`} />
              <input placeholder={t('ivr.designer.varDesc')} value={v.description ?? ''}
                onChange={(e) => set(i, { description: e.target.value || undefined })} data-testid={`var-${i}-description`} />
            </div>
            <button type="button" className="icon-btn" aria-label={t('common.delete')} onClick={() => onChange(variables.filter((_, j) => j !== i))}
              data-testid={`var-${i}-remove`}>×</button>
          </div>
        ))}
        <button type="button" className="btn btn-sm" onClick={() => onChange([...variables, { name: '', default: '' }])} data-testid="var-add">
          + {t('ivr.designer.addVariable')}
        </button>
      </div>
      <h3 className="section-title">{t('ivr.designer.systemVariables')}</h3>
      <table className="table table-compact">
        <tbody>
          {(catalog?.systemVariables ?? []).map((v) => (
            <tr key={v.name}><td><code>{`\${${v.name}}`}</code></td><td className="wrap">{lang === 'en' ? v.en : v.zh}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t(`ivr.kindHint.${flow?.kind ?? 'inbound'}` as MessageKey)}</p>
    </div>
  );
}
