// Validation before save: one start, an end reachable from every node, every outlet wired or defaulted,
// referenced prompts/skill groups/numbers/hot words exist, ${variables} defined before use. Pure.
import { type FlowDefinition, type FlowIssue, type FlowKind, type FlowLookup, type FlowNode, FLOW_KIND_ZH, flowDefinitionSchema, type ValidationResult } from './flow-types.ts';
import { NODE_SPECS, type OutletSpec, promptIdsIn } from './node-catalog.ts';
import { SYSTEM_VARIABLE_NAMES, variablesIn } from './variables.ts';

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** The outlets a node leaves through, each resolved to its target node (null = hang up). */
export interface ResolvedOutlet {
  outlet: string;
  target: string | null;
}

export function resolveOutlet(node: FlowNode, specs: OutletSpec[], outlet: string): ResolvedOutlet | undefined {
  const seen = new Set<string>();
  let name = outlet;
  for (;;) {
    const wired = node.outlets[name];
    if (wired) return { outlet, target: wired };
    const s = specs.find((o) => o.name === name);
    if (!s?.fallback || seen.has(name)) return undefined;
    seen.add(name);
    if (s.fallback === 'hangup') return { outlet, target: null };
    name = s.fallback.outlet;
  }
}

interface Checked {
  node: FlowNode;
  index: number;
  params: Record<string, unknown>;
  outlets: OutletSpec[];
}

function checkNodes(def: FlowDefinition, kind: FlowKind, errors: FlowIssue[]): Map<string, Checked> {
  const byId = new Map<string, Checked>();
  const seen = new Set<string>();
  def.nodes.forEach((node, index) => {
    const err = (field: string, message: string): void => void errors.push({ nodeId: node.id, field, message });
    if (seen.has(node.id)) return err('id', `节点 ID 重复 (duplicate node ID ${node.id})`);
    seen.add(node.id);
    const spec = NODE_SPECS[node.type];
    if (spec.kinds && !spec.kinds.includes(kind)) err('type', `${FLOW_KIND_ZH[kind]}不能使用「${spec.zh}」模块 (${spec.en} is not allowed in a ${kind} flow)`);
    const parsed = spec.params.safeParse(node.params);
    if (!parsed.success) {
      for (const i of parsed.error.issues) err(pathOf(['params', ...i.path]), i.message);
      return;
    }
    byId.set(node.id, { node, index, params: parsed.data as Record<string, unknown>, outlets: spec.outlets(parsed.data) });
  });
  return byId;
}

function checkOutlets(all: Set<string>, checked: Map<string, Checked>, errors: FlowIssue[]): void {
  for (const { node, outlets } of checked.values()) {
    const err = (field: string, message: string): void => void errors.push({ nodeId: node.id, field, message });
    for (const [name, target] of Object.entries(node.outlets)) {
      if (!outlets.some((o) => o.name === name)) {
        if (target) err(`outlets.${name}`, `「${NODE_SPECS[node.type].zh}」没有出口 ${name} (no such outlet)`);
      } else if (target && !all.has(target)) err(`outlets.${name}`, `出口 ${name} 连接的节点 ${target} 不存在 (wired to a missing node)`);
    }
    for (const o of outlets) {
      if (!node.outlets[o.name] && !o.fallback) err(`outlets.${o.name}`, `出口「${o.zh}」未连接 (outlet ${o.name} is not wired)`);
    }
  }
}

function checkRefs(checked: Map<string, Checked>, lookup: FlowLookup, errors: FlowIssue[]): void {
  for (const { node, params } of checked.values()) {
    const err = (field: string, message: string): void => void errors.push({ nodeId: node.id, field, message });
    for (const id of promptIdsIn(params)) if (!lookup.hasPrompt(id)) err(fieldHolding(params, id) ?? 'params', `放音文件 ${id} 不存在 (prompt file not found)`);
    const refs = NODE_SPECS[node.type].refs?.(params) ?? {};
    for (const g of refs.skillGroups ?? []) if (!lookup.hasSkillGroup(g)) err('params.skillGroupId', `技能组 ${g} 不存在 (skill group not found)`);
    for (const n of refs.numbers ?? []) if (!lookup.hasNumber(n)) err('params.callerNumber', `号码 ${n} 不是本机可外呼的号码 (not an outbound number of this box)`);
    for (const h of refs.hotWordLists ?? []) if (!lookup.hasHotWordList(h)) err('params.hotWordListId', `热词表 ${h} 不存在 (hot-word list not found)`);
  }
}

/** Edges node → target (via outlet), after fallbacks; `null` targets are hang-ups. */
function edges(c: Checked): ResolvedOutlet[] {
  return c.outlets.map((o) => resolveOutlet(c.node, c.outlets, o.name)).filter((r): r is ResolvedOutlet => r !== undefined);
}

function checkGraph(def: FlowDefinition, checked: Map<string, Checked>, errors: FlowIssue[], warnings: FlowIssue[]): Set<string> {
  // A node whose params are invalid has its own error already; it must not make its neighbours look stuck.
  const unchecked = new Set(def.nodes.map((n) => n.id).filter((id) => !checked.has(id)));
  const starts = def.nodes.filter((n) => n.type === 'start');
  if (starts.length === 0) errors.push({ nodeId: null, field: 'nodes', message: '流程必须有一个开始节点 (the flow needs a start node)' });
  for (const extra of starts.slice(1)) errors.push({ nodeId: extra.id, field: 'type', message: '流程只能有一个开始节点 (only one start node allowed)' });
  // Nodes from which an end (or an outlet that hangs up) can be reached: fixpoint backwards.
  const canEnd = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of checked.values()) {
      if (canEnd.has(c.node.id)) continue;
      if (c.node.type === 'end' || edges(c).some((e) => e.target === null || canEnd.has(e.target) || unchecked.has(e.target))) {
        canEnd.add(c.node.id);
        changed = true;
      }
    }
  }
  for (const c of checked.values()) {
    if (!canEnd.has(c.node.id)) errors.push({ nodeId: c.node.id, field: 'outlets', message: '从该节点无法到达结束节点 (no end node is reachable from this node)' });
  }
  const reached = new Set<string>();
  const stack = starts[0] ? [starts[0].id] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (reached.has(id) || !checked.has(id)) continue;
    reached.add(id);
    for (const e of edges(checked.get(id)!)) if (e.target) stack.push(e.target);
  }
  const dynamic = [...checked.values()].some((c) => c.node.type === 'menu' && c.params.dynamicVariable);
  for (const c of checked.values()) {
    if (!reached.has(c.node.id)) {
      const why = dynamic ? '（仅动态分支可达）(only a dynamic branch can reach it)' : '(no path from the start node reaches it)';
      warnings.push({ nodeId: c.node.id, field: 'id', message: `开始节点无法到达该节点 ${why}` });
    }
  }
  return reached;
}

/** Where in the params a value (a prompt ID or a `${name}`) appears, as a field path. */
function fieldHolding(params: unknown, needle: string, path: string[] = ['params']): string | undefined {
  if (typeof params === 'string') return params === needle || params.includes('${' + needle) ? path.join('.') : undefined;
  if (params && typeof params === 'object') {
    for (const [k, v] of Object.entries(params)) {
      const f = fieldHolding(v, needle, [...path, k]);
      if (f) return f;
    }
  }
  return undefined;
}

function checkDeclarations(def: FlowDefinition, errors: FlowIssue[]): void {
  const seen = new Set<string>();
  def.variables.forEach((v, i) => {
    if (SYSTEM_VARIABLE_NAMES.has(v.name)) errors.push({ nodeId: null, field: `variables.${i}.name`, message: `${v.name} 是系统变量 (a system variable cannot be declared)` });
    if (seen.has(v.name)) errors.push({ nodeId: null, field: `variables.${i}.name`, message: `变量 ${v.name} 重复 (duplicate variable)` });
    seen.add(v.name);
  });
}

/** Must-analysis: a variable counts as defined at a node only when every path from the start assigns it. */
function checkVariables(def: FlowDefinition, checked: Map<string, Checked>, reached: Set<string>, errors: FlowIssue[]): void {
  const base = new Set<string>([...SYSTEM_VARIABLE_NAMES, ...def.variables.map((v) => v.name)]);
  const preds = new Map<string, { from: Checked; outlet: string }[]>();
  const addPred = (to: string, from: Checked, outlet: string): void => void (preds.get(to) ?? preds.set(to, []).get(to)!).push({ from, outlet });
  for (const c of checked.values()) for (const e of edges(c)) if (e.target) addPred(e.target, c, e.outlet);
  // Targets of dynamic menus are unknown: a node no static path reaches may be entered from any of them.
  const dynamicMenus = [...checked.values()].filter((c) => c.node.type === 'menu' && c.params.dynamicVariable && reached.has(c.node.id));
  for (const c of checked.values()) if (!reached.has(c.node.id) && c.node.type !== 'start') for (const m of dynamicMenus) addPred(c.node.id, m, 'dynamic');
  const start = def.nodes.find((n) => n.type === 'start')?.id;
  const IN = new Map<string, Set<string> | null>(); // null = top (not reached yet)
  for (const id of checked.keys()) IN.set(id, id === start ? new Set(base) : null);
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of checked.keys()) {
      if (id === start) continue;
      let acc: Set<string> | null = null;
      for (const p of preds.get(id) ?? []) {
        const pin = IN.get(p.from.node.id);
        if (!pin) continue;
        const out = new Set<string>([...pin, ...(NODE_SPECS[p.from.node.type].assigns?.(p.from.params as never, p.outlet) ?? [])]);
        acc = acc === null ? out : new Set<string>([...acc].filter((v: string) => out.has(v)));
      }
      const prev = IN.get(id);
      if (acc && (!prev || prev.size !== acc.size)) {
        IN.set(id, acc);
        changed = true;
      }
    }
  }
  for (const [id, c] of checked) {
    const defined = IN.get(id) ?? base;
    const used = variablesIn(c.params);
    for (const u of NODE_SPECS[c.node.type].uses?.(c.params as never) ?? []) used.add(u);
    for (const name of used) {
      if (defined.has(name)) continue;
      const field = fieldHolding(c.params, name) ?? 'params';
      errors.push({ nodeId: id, field, message: `变量 \${${name}} 在使用前未定义 (variable used before it is defined on every path)` });
    }
  }
}

/** Checks a flow of the given kind; on success returns it with every node's defaults filled in. */
export function validateFlow(input: unknown, kind: FlowKind, lookup: FlowLookup): ValidationResult {
  const errors: FlowIssue[] = [];
  const warnings: FlowIssue[] = [];
  const parsed = flowDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const raw = input as { nodes?: { id?: unknown }[] } | null;
    for (const i of parsed.error.issues) {
      const nodeIndex = i.path[0] === 'nodes' && typeof i.path[1] === 'number' ? i.path[1] : -1;
      const id = nodeIndex >= 0 ? raw?.nodes?.[nodeIndex]?.id : undefined;
      const field = nodeIndex >= 0 ? pathOf(i.path.slice(2)) || 'node' : pathOf(i.path) || 'definition';
      errors.push({ nodeId: typeof id === 'string' ? id : null, field, message: i.message });
    }
    return { ok: false, errors, warnings };
  }
  const def = parsed.data;
  checkDeclarations(def, errors);
  const checked = checkNodes(def, kind, errors);
  checkOutlets(new Set(def.nodes.map((n) => n.id)), checked, errors);
  checkRefs(checked, lookup, errors);
  const reached = checkGraph(def, checked, errors, warnings);
  if (errors.length === 0) checkVariables(def, checked, reached, errors);
  if (errors.length) return { ok: false, errors, warnings };
  const nodes = def.nodes.map((n) => {
    const c = checked.get(n.id)!;
    const outlets = Object.fromEntries(Object.entries(n.outlets).filter(([, t]) => t));
    return { ...n, params: c.params, outlets };
  });
  return { ok: true, errors, warnings, definition: { variables: def.variables, nodes } };
}

/** One line per issue, for logs and error messages. */
export function describeIssue(i: FlowIssue): string {
  return i.nodeId ? `节点 ${i.nodeId} ${i.field}: ${i.message}` : `${i.field}: ${i.message}`;
}
