// IVR 画布: palette of the manual's modules (drag or click to add), @xyflow/react canvas (wire outlets to
// the next node), side panel (the selected node's fields, its outlets, or the flow's variables), validate,
// save, versions, publish, bind a number, and the simulator.
import '@xyflow/react/dist/style.css';
import {
  Background, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, applyNodeChanges, useReactFlow,
  type Connection, type Edge, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { ApiError } from '../../api';
import { ivrApi } from '../../api-ivr';
import type { FlowDefinition, FlowIssue, FlowNode, FlowVariable, IvrCatalog, IvrFlow, NodeType } from '../../api-ivr-types';
import { useConfirm } from '../../components/Confirm';
import { CopyButton } from '../../components/Secret';
import { useToast } from '../../components/Toast';
import { errorText, useLoad } from '../../hooks';
import { currentLang, useI18n, type MessageKey } from '../../i18n';
import { localizeServerMessage } from '../../i18n/server-message';
import { Link, navigate } from '../../router';
import { BindDialog, VersionsDialog } from './FlowDialogs';
import { IvrNode, type IvrRfNode } from './IvrNode';
import {
  allowedIn, cleanOutlets, initialParams, newNodeId, NODE_TYPES, outletsOf, setIn, splitIssueField, TYPE_COLOR, typeKey, type Path,
} from './model';
import { NodeForm, type FormCtx } from './NodeForm';
import { SimulatorPanel } from './SimulatorPanel';

const nodeTypes = { ivr: IvrNode };
const DND_TYPE = 'application/x-ccbox-ivr-module';

function toRf(n: FlowNode, i: number): IvrRfNode {
  const { position, ...node } = n;
  return {
    id: n.id,
    type: 'ivr',
    position: position ?? { x: 80 + (i % 4) * 260, y: 80 + Math.floor(i / 4) * 180 },
    deletable: n.type !== 'start',
    data: { node: { ...node, outlets: { ...node.outlets } }, issues: [], visited: false, current: false },
  };
}

/** Server validation rows (`<nodeId>.<field>`) or a save's error → issues on nodes. */
function issuesFromError(e: unknown): FlowIssue[] | null {
  if (!(e instanceof ApiError) || e.code !== 'CCBOX_ERR_VALIDATION') return null;
  if (e.rows?.length) return e.rows.map((r) => ({ ...splitIssueField(r.field), message: r.message }));
  if (e.field) return [{ ...splitIssueField(e.field), message: e.message }];
  return null;
}

interface Props { flowId: number; version: string }

export function IvrDesigner(props: Props) {
  return (
    <ReactFlowProvider>
      <Designer {...props} />
    </ReactFlowProvider>
  );
}

function Designer({ flowId, version }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const rf = useReactFlow();
  const flow = useLoad(() => ivrApi.ivrFlow(flowId), [flowId]);
  const catalog = useLoad(() => ivrApi.ivrCatalog(), []);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [nodes, setNodes] = useState<IvrRfNode[]>([]);
  const [variables, setVariables] = useState<FlowVariable[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const [issues, setIssues] = useState<FlowIssue[]>([]);
  const [warnings, setWarnings] = useState<FlowIssue[]>([]);
  const [checked, setChecked] = useState<'none' | 'ok' | 'errors'>('none');
  const [side, setSide] = useState<'edit' | 'sim'>('edit');
  const [trace, setTrace] = useState<{ visited: Set<string>; current: string | null }>({ visited: new Set(), current: null });
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'versions' | 'bind' | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const kind = flow.data?.kind ?? 'inbound';
  const cat = catalog.data;
  /** Which modules the flow's kind may use: the server's catalog says, else the documented rule. */
  const allowed = (type: NodeType): boolean => cat?.nodeTypes.find((x) => x.type === type)?.kinds.includes(kind) ?? allowedIn(type, kind);

  const load = useCallback(async () => {
    try {
      const v = await ivrApi.ivrVersion(flowId, version);
      setNodes(v.definition.nodes.map(toRf));
      setVariables(v.definition.variables ?? []);
      setLoaded(true);
      setDirty(false);
      setIssues([]);
      setWarnings([]);
      setChecked('none');
      setSelected(null);
      window.setTimeout(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }), 50);
    } catch (x) {
      setLoadErr(x);
    }
  }, [flowId, version, rf]);
  useEffect(() => void load(), [load]);

  // Leaving with unsaved changes asks first (browser reload / close).
  useEffect(() => {
    if (!dirty) return;
    const h = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [dirty]);

  const changed = () => {
    setDirty(true);
    setChecked('none');
  };

  const updateNode = (id: string, fn: (n: IvrRfNode['data']['node']) => IvrRfNode['data']['node']) => {
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, node: fn(n.data.node) } } : n)));
    changed();
  };

  const definition = (): FlowDefinition => ({
    variables,
    nodes: nodes.map((n) => {
      const node: FlowNode = { ...n.data.node, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } };
      return { ...node, outlets: cleanOutlets(node, t) };
    }),
  });

  // ---- React Flow wiring ----
  const displayNodes = useMemo<IvrRfNode[]>(() => nodes.map((n) => ({
    ...n,
    selected: n.id === selected,
    data: {
      ...n.data,
      catalog: cat,
      issues: issues.filter((i) => i.nodeId === n.id),
      visited: trace.visited.has(n.id),
      current: trace.current === n.id,
    },
  })), [nodes, selected, cat, issues, trace]);

  const edges = useMemo<Edge[]>(() => {
    const ids = new Set(nodes.map((n) => n.id));
    return nodes.flatMap((n) => outletsOf(n.data.node, t).flatMap((o) => {
      const target = n.data.node.outlets[o.name];
      if (!target || !ids.has(target)) return [];
      const id = `${n.id}:${o.name}`;
      const hot = trace.visited.has(n.id) && trace.visited.has(target);
      return [{
        id, source: n.id, sourceHandle: o.name, target, targetHandle: 'in', selected: id === selectedEdge,
        markerEnd: { type: MarkerType.ArrowClosed }, className: hot ? 'edge-visited' : undefined,
      }];
    }));
  }, [nodes, selectedEdge, trace, t]);

  const onNodesChange = useCallback((changes: NodeChange<IvrRfNode>[]) => {
    const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []));
    for (const c of changes) {
      if (c.type === 'select') {
        if (c.selected) {
          setSelected(c.id);
          setSelectedEdge(null);
        } else setSelected((s) => (s === c.id ? null : s));
      }
      if (c.type === 'position' && c.dragging) setDirty(true);
    }
    setNodes((ns) => {
      let next = applyNodeChanges(changes.filter((c) => c.type !== 'select'), ns);
      if (removed.length) {
        // Outlets wired to a removed node become unwired.
        next = next.map((n) => {
          const outs = Object.entries(n.data.node.outlets);
          if (!outs.some(([, v]) => v && removed.includes(v))) return n;
          return { ...n, data: { ...n.data, node: { ...n.data.node, outlets: Object.fromEntries(outs.filter(([, v]) => !v || !removed.includes(v))) } } };
        });
      }
      return next;
    });
    if (removed.length) {
      setDirty(true);
      setSelected((s) => (s && removed.includes(s) ? null : s));
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    for (const c of changes) {
      if (c.type === 'select') setSelectedEdge(c.selected ? c.id : null);
      if (c.type === 'remove') {
        const at = c.id.indexOf(':');
        const source = c.id.slice(0, at);
        const outlet = c.id.slice(at + 1);
        setNodes((ns) => ns.map((n) => {
          if (n.id !== source) return n;
          const outlets = { ...n.data.node.outlets };
          delete outlets[outlet];
          return { ...n, data: { ...n.data, node: { ...n.data.node, outlets } } };
        }));
        setDirty(true);
      }
    }
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle || !c.target) return;
    updateNode(c.source, (n) => ({ ...n, outlets: { ...n.outlets, [c.sourceHandle!]: c.target } }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const addNode = (type: NodeType, position?: { x: number; y: number }) => {
    if (type === 'start' && nodes.some((n) => n.data.node.type === 'start')) return toast.info(t('ivr.designer.oneStart'));
    if (!allowed(type)) return toast.info(t('ivr.designer.notInKind'));
    let pos = position;
    if (!pos) {
      const box = wrapper.current?.getBoundingClientRect();
      const center = box ? { x: box.left + box.width / 2 - 100, y: box.top + box.height / 2 - 40 } : { x: 300, y: 200 };
      pos = rf.screenToFlowPosition(center);
      // Nudge so repeated clicks do not stack exactly.
      pos = { x: pos.x + (nodes.length % 5) * 24, y: pos.y + (nodes.length % 5) * 24 };
    }
    const id = newNodeId();
    const node: FlowNode = { id, type, label: t(typeKey(type)), params: initialParams(type, t), outlets: {}, position: pos };
    setNodes((ns) => [...ns, toRf(node, ns.length)]);
    setSelected(id);
    setSide('edit');
    changed();
  };

  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DND_TYPE) as NodeType;
    if (!type) return;
    e.preventDefault();
    addNode(type, rf.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 20 }));
  };

  // ---- actions ----
  const showIssues = (list: FlowIssue[], warn: FlowIssue[] = []) => {
    setIssues(list);
    setWarnings(warn);
    setChecked(list.length ? 'errors' : 'ok');
    const first = list.find((i) => i.nodeId);
    if (first?.nodeId) {
      setSelected(first.nodeId);
      setSide('edit');
    }
  };

  const validate = async () => {
    setBusy(true);
    try {
      const r = await ivrApi.validateIvrFlow(flowId, definition());
      showIssues(r.errors, r.warnings);
      if (r.ok) toast.success(t('ivr.designer.valid'));
      else toast.error(t('ivr.designer.invalid', { n: r.errors.length }));
    } catch (x) {
      toast.error(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  const save = async (): Promise<boolean> => {
    setBusy(true);
    try {
      const v = await ivrApi.saveIvrVersion(flowId, version, definition());
      // The answer has every default filled in: take the params, keep the canvas positions.
      const byId = new Map(v.definition.nodes.map((n) => [n.id, n]));
      setNodes((ns) => ns.map((n) => {
        const saved = byId.get(n.id);
        return saved ? { ...n, data: { ...n.data, node: { ...n.data.node, params: saved.params, label: saved.label, outlets: { ...saved.outlets } } } } : n;
      }));
      setVariables(v.definition.variables ?? []);
      setDirty(false);
      showIssues([]);
      toast.success(t('ivr.designer.saved'));
      flow.reload();
      return true;
    } catch (x) {
      const list = issuesFromError(x);
      if (list) {
        showIssues(list);
        toast.error(t('ivr.designer.saveRefused', { n: list.length }));
      } else toast.error(errorText(x, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  // Ctrl/⌘+S saves.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const leave = async (to: string) => {
    if (dirty && !(await confirm({ message: t('ivr.designer.discard') }))) return;
    setDirty(false);
    navigate(to);
  };

  // ---- side panel ----
  const sel = nodes.find((n) => n.id === selected);
  const variableNames = useMemo(() => {
    const names = new Set<string>((cat?.systemVariables ?? []).map((v) => v.name));
    for (const v of variables) names.add(v.name);
    for (const n of nodes) {
      const p = n.data.node.params as Record<string, unknown>;
      for (const k of ['variable', 'keyVariable', 'labelVariable']) if (typeof p[k] === 'string' && p[k]) names.add(p[k] as string);
      for (const o of (p.outputs as { variable?: string }[] | undefined) ?? []) if (o.variable) names.add(o.variable);
    }
    return [...names];
  }, [cat, variables, nodes]);

  const msg = (m: string) => localizeServerMessage(m, currentLang());
  const nodeName = (id: string | null) => {
    const n = nodes.find((x) => x.id === id);
    return n ? n.data.node.label || t(typeKey(n.data.node.type)) : t('ivr.designer.flowLevel');
  };

  if (loadErr || flow.error) {
    return (
      <div className="empty-page" data-testid="page-message">
        <p>{errorText(loadErr ?? flow.error, t)}</p>
        <Link to="/ivr" className="btn">{t('ivr.designer.back')}</Link>
      </div>
    );
  }

  const f = flow.data;
  const versionInfo = f?.versions.find((v) => v.version === version);
  return (
    <div className="designer" data-testid="ivr-designer" data-flow-id={flowId} data-version={version} data-dirty={dirty}
      data-loaded={loaded}>
      <div className="designer-bar">
        <button type="button" className="btn btn-sm" onClick={() => void leave('/ivr')} data-testid="designer-back">← {t('ivr.designer.back')}</button>
        <div className="designer-title">
          <strong data-testid="designer-flow-name">{f?.name ?? '…'}</strong>
          {f && <span className="badge badge-muted">{t(`ivr.kind.${f.kind}`)}</span>}
          <select value={version} onChange={(e) => void leave(`/ivr/flows/${flowId}/${e.target.value}`)} data-testid="designer-version"
            title={t('ivr.version.label')}>
            {(f?.versions ?? [{ version }]).map((v) => (
              <option key={v.version} value={v.version}>{v.version === 'MAIN' ? 'MAIN' : `${t('ivr.version.label')} ${v.version}`}</option>
            ))}
          </select>
          {versionInfo && (
            <span className={`badge ${versionInfo.published ? (versionInfo.unpublishedChanges ? 'badge-warn' : 'badge-ok') : 'badge-muted'}`}
              data-testid="designer-publish-state">
              {versionInfo.published
                ? (versionInfo.unpublishedChanges ? t('ivr.version.changed', { r: versionInfo.published.revision }) : t('ivr.version.published', { r: versionInfo.published.revision }))
                : t('ivr.version.unpublished')}
            </span>
          )}
          {dirty && <span className="badge badge-warn" data-testid="designer-dirty">{t('ivr.designer.unsaved')}</span>}
        </div>
        <div className="designer-actions">
          <span className={`check-state check-${checked}`} data-testid="designer-status" data-state={checked}>
            {checked === 'ok' ? t('ivr.designer.valid') : checked === 'errors' ? t('ivr.designer.invalid', { n: issues.length }) : ''}
          </span>
          <button type="button" className="btn btn-sm" disabled={busy || !loaded} onClick={() => void validate()} data-testid="designer-validate">
            {t('ivr.designer.validate')}
          </button>
          <button type="button" className="btn btn-sm btn-primary" disabled={busy || !loaded} onClick={() => void save()} data-testid="designer-save"
            title={t('ivr.designer.saveHint')}>
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-sm" onClick={() => setDialog('versions')} data-testid="designer-versions">
            {t('ivr.designer.versions')}
          </button>
          {kind === 'inbound' && (
            <button type="button" className="btn btn-sm" onClick={() => setDialog('bind')} data-testid="designer-bind">
              {t('ivr.designer.bind')}
            </button>
          )}
          <button type="button" className={`btn btn-sm${side === 'sim' ? ' btn-on' : ''}`} data-testid="designer-simulate"
            onClick={() => setSide(side === 'sim' ? 'edit' : 'sim')}>
            {t('ivr.designer.simulate')}
          </button>
        </div>
      </div>

      <div className="designer-main">
        <aside className="palette" data-testid="palette">
          <div className="palette-title">{t('ivr.designer.modules')}</div>
          {NODE_TYPES.map((type) => {
            const ok = allowed(type) && !(type === 'start' && nodes.some((n) => n.data.node.type === 'start'));
            return (
              <button key={type} type="button" className="palette-item" draggable={ok} disabled={!ok}
                title={ok ? t('ivr.designer.dragHint') : allowed(type) ? t('ivr.designer.oneStart') : t('ivr.designer.notInKind')}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DND_TYPE, type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => addNode(type)} data-testid={`palette-${type}`}>
                <span className="palette-dot" style={{ background: TYPE_COLOR[type] }} />
                {t(typeKey(type))}
              </button>
            );
          })}
        </aside>

        <div className="canvas-col">
          <div className="canvas" ref={wrapper} data-testid="ivr-canvas" onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'move';
          }} onDrop={onDrop}>
            <ReactFlow<IvrRfNode, Edge>
              nodes={displayNodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onPaneClick={() => {
                setSelected(null);
                setSelectedEdge(null);
              }}
              deleteKeyCode={['Delete', 'Backspace']}
              minZoom={0.2}
              maxZoom={1.8}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={16} />
              <Controls showInteractive={false} />
              <MiniMap pannable zoomable nodeColor={(n) => TYPE_COLOR[(n as IvrRfNode).data.node.type]} />
            </ReactFlow>
          </div>
          {(issues.length > 0 || warnings.length > 0) && (
            <div className="issues" data-testid="validation-errors">
              {issues.map((i, k) => (
                <button key={`e${k}`} type="button" className="issue issue-error" data-testid="validation-error"
                  data-node-id={i.nodeId ?? ''} data-field={i.field}
                  onClick={() => {
                    if (i.nodeId) {
                      setSelected(i.nodeId);
                      setSide('edit');
                      const n = nodes.find((x) => x.id === i.nodeId);
                      if (n) void rf.setCenter(n.position.x + 100, n.position.y + 60, { duration: 300, zoom: rf.getZoom() });
                    }
                  }}>
                  <strong>{nodeName(i.nodeId)}</strong> {msg(i.message)}
                </button>
              ))}
              {warnings.map((i, k) => (
                <div key={`w${k}`} className="issue issue-warn" data-testid="validation-warning">
                  <strong>{nodeName(i.nodeId)}</strong> {msg(i.message)}
                </div>
              ))}
            </div>
          )}
        </div>

        <aside className="side">
          <div className="side-tabs">
            <button type="button" className={side === 'edit' ? 'on' : ''} onClick={() => setSide('edit')} data-testid="side-tab-edit">
              {sel ? t('ivr.designer.nodeProps') : t('ivr.designer.flowProps')}
            </button>
            <button type="button" className={side === 'sim' ? 'on' : ''} onClick={() => setSide('sim')} data-testid="side-tab-sim">
              {t('ivr.designer.simulate')}
            </button>
          </div>
          <div className="side-body">
            {side === 'sim' ? (
              <SimulatorPanel flowId={flowId} version={version} dirty={dirty}
                nodes={nodes.map((n) => n.data.node)}
                onTrace={(visited, current) => setTrace({ visited: new Set(visited), current })} />
            ) : sel ? (
              <NodePanel key={sel.id} node={sel.data.node} nodes={nodes} catalog={cat} variables={variableNames}
                issues={issues.filter((i) => i.nodeId === sel.id)} lang={lang}
                onChange={(fn) => updateNode(sel.id, fn)}
                onDelete={() => onNodesChange([{ type: 'remove', id: sel.id }])} />
            ) : (
              <FlowPanel flow={f} variables={variables} catalog={cat} issues={issues.filter((i) => !i.nodeId)}
                onChange={(v) => {
                  setVariables(v);
                  changed();
                }} />
            )}
          </div>
        </aside>
      </div>

      {dialog === 'versions' && f && (
        <VersionsDialog flow={f} current={version} dirty={dirty} onClose={() => setDialog(null)}
          onOpen={(v) => {
            setDialog(null);
            void leave(`/ivr/flows/${flowId}/${v}`);
          }}
          onSaveFirst={save}
          onChanged={() => flow.reload()} />
      )}
      {dialog === 'bind' && f && (
        <BindDialog flow={f} onClose={() => setDialog(null)} onChanged={() => flow.reload()} />
      )}
    </div>
  );
}

// ---------------------------------------------------------------- side panels

function NodePanel({ node, nodes, catalog, variables, issues, onChange, onDelete }: {
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

function FlowPanel({ flow, variables, catalog, issues, onChange }: {
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
