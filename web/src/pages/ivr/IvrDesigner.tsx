// IVR 画布: palette of the manual's modules (drag or click to add), @xyflow/react canvas (wire outlets to
// the next node), side panel (the selected node's fields, its outlets, or the flow's variables), validate,
// save, versions, publish, bind a number, and the simulator. This file holds the designer's state and actions;
// its parts are VersionBar, DesignerToolbar, Palette, DesignerCanvas and SidePanels.
import '@xyflow/react/dist/style.css';
import {
  ReactFlowProvider, applyNodeChanges, useReactFlow, type Connection, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { ivrApi } from '../../api-ivr';
import type { FlowDefinition, FlowIssue, FlowNode, FlowVariable, NodeType } from '../../api-ivr-types';
import { useConfirm } from '../../components/Confirm';
import { useToast } from '../../components/Toast';
import { errorText, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router';
import { DesignerCanvas, flowEdges, toRf } from './DesignerCanvas';
import { DesignerToolbar, type CheckState } from './DesignerToolbar';
import { BindDialog, VersionsDialog } from './FlowDialogs';
import type { IvrRfNode } from './IvrNode';
import { allowedIn, cleanOutlets, initialParams, newNodeId, splitIssueField, typeKey } from './model';
import { Palette } from './Palette';
import { FlowPanel, NodePanel } from './SidePanels';
import { SimulatorPanel } from './SimulatorPanel';
import { VersionBar } from './VersionBar';

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
  const [checked, setChecked] = useState<CheckState>('none');
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

  const edges = useMemo(() => flowEdges(nodes, selectedEdge, trace, t), [nodes, selectedEdge, trace, t]);

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
  return (
    <div className="designer" data-testid="ivr-designer" data-flow-id={flowId} data-version={version} data-dirty={dirty}
      data-loaded={loaded}>
      <div className="designer-bar">
        <VersionBar flowId={flowId} flow={f} version={version} dirty={dirty} onLeave={(to) => void leave(to)} />
        <DesignerToolbar kind={kind} checked={checked} errorCount={issues.length} busy={busy} loaded={loaded} simulating={side === 'sim'}
          onValidate={() => void validate()} onSave={() => void save()}
          onVersions={() => setDialog('versions')} onBind={() => setDialog('bind')}
          onToggleSim={() => setSide(side === 'sim' ? 'edit' : 'sim')} />
      </div>

      <div className="designer-main">
        <Palette hasStart={nodes.some((n) => n.data.node.type === 'start')} allowed={allowed} onAdd={(type) => addNode(type)} />

        <DesignerCanvas canvasRef={wrapper} nodes={displayNodes} edges={edges}
          onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect}
          onPaneClick={() => {
            setSelected(null);
            setSelectedEdge(null);
          }}
          onDropModule={addNode}
          issues={issues} warnings={warnings} nodeName={nodeName}
          onIssueClick={(nodeId) => {
            setSelected(nodeId);
            setSide('edit');
            const n = nodes.find((x) => x.id === nodeId);
            if (n) void rf.setCenter(n.position.x + 100, n.position.y + 60, { duration: 300, zoom: rf.getZoom() });
          }} />

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
