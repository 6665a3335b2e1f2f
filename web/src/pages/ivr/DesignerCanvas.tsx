// The designer's canvas (@xyflow/react): the flow's nodes and the wires from each outlet to the next node,
// modules dropped from the palette, and under it the last check's errors (click: go to the node) and warnings.
import {
  Background, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow,
  type Connection, type Edge, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import type { DragEvent, RefObject } from 'react';
import type { FlowIssue, FlowNode, NodeType } from '../../api-ivr-types';
import { currentLang, type TFunction } from '../../i18n';
import { localizeServerMessage } from '../../i18n/server-message';
import { IvrNode, type IvrRfNode } from './IvrNode';
import { outletsOf, TYPE_COLOR } from './model';
import { DND_TYPE } from './Palette';

const nodeTypes = { ivr: IvrNode };

/** A flow node as a React Flow node; nodes saved without a position are laid out on a grid. */
export function toRf(n: FlowNode, i: number): IvrRfNode {
  const { position, ...node } = n;
  return {
    id: n.id,
    type: 'ivr',
    position: position ?? { x: 80 + (i % 4) * 260, y: 80 + Math.floor(i / 4) * 180 },
    deletable: n.type !== 'start',
    data: { node: { ...node, outlets: { ...node.outlets } }, issues: [], visited: false, current: false },
  };
}

/** One edge per wired outlet (id `<node>:<outlet>`); the simulator's path is highlighted. */
export function flowEdges(
  nodes: IvrRfNode[], selectedEdge: string | null, trace: { visited: Set<string> }, t: TFunction,
): Edge[] {
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
}

export function DesignerCanvas({
  canvasRef, nodes, edges, onNodesChange, onEdgesChange, onConnect, onPaneClick, onDropModule,
  issues, warnings, onIssueClick, nodeName,
}: {
  canvasRef: RefObject<HTMLDivElement | null>;
  nodes: IvrRfNode[];
  edges: Edge[];
  onNodesChange: (changes: NodeChange<IvrRfNode>[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  onConnect: (c: Connection) => void;
  onPaneClick: () => void;
  onDropModule: (type: NodeType, position: { x: number; y: number }) => void;
  issues: FlowIssue[];
  warnings: FlowIssue[];
  onIssueClick: (nodeId: string) => void;
  nodeName: (id: string | null) => string;
}) {
  const rf = useReactFlow();
  const msg = (m: string) => localizeServerMessage(m, currentLang());

  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DND_TYPE) as NodeType;
    if (!type) return;
    e.preventDefault();
    onDropModule(type, rf.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 20 }));
  };

  return (
    <div className="canvas-col">
      <div className="canvas" ref={canvasRef} data-testid="ivr-canvas" onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }} onDrop={onDrop}>
        <ReactFlow<IvrRfNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onPaneClick={onPaneClick}
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
                if (i.nodeId) onIssueClick(i.nodeId);
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
  );
}
