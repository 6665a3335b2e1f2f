// Shapes of the IVR's stored objects as the console API returns them.
import type { FlowDefinition, FlowKind } from '../flow/index.ts';

export interface VersionSummary {
  version: string;
  basedOn: string | null;
  note: string;
  createdAt: number;
  updatedAt: number;
  /** The newest published revision, or null when never published. */
  published: { revision: number; publishedAt: number } | null;
  /** The saved definition differs from the newest published one. */
  unpublishedChanges: boolean;
}

export interface FlowSummary {
  id: number;
  name: string;
  kind: FlowKind;
  description: string;
  createdAt: number;
  updatedAt: number;
  versions: VersionSummary[];
  bindings: { number: string; version: string }[];
}

export interface FlowVersionView extends VersionSummary {
  flowId: number;
  flowName: string;
  kind: FlowKind;
  definition: FlowDefinition;
}

export interface NumberBinding {
  number: string;
  flowId: number;
  flowName: string;
  version: string;
  updatedAt: number;
}

export interface PromptView {
  id: string;
  name: string;
  originalName: string;
  durationMs: number;
  sizeBytes: number;
  uploadedBy: number | null;
  createdAt: number;
  updatedAt: number;
  usedBy: { flowId: number; flowName: string; versions: string[] }[];
}

export interface HotWordListView {
  id: number;
  name: string;
  words: { word: string; weight: number }[];
  createdAt: number;
  updatedAt: number;
  usedBy: { flowId: number; flowName: string; versions: string[] }[];
}

/** A definition somewhere in the store (a version's draft or its newest published revision). */
export interface StoredDefinition {
  flowId: number;
  flowName: string;
  version: string;
  definition: FlowDefinition;
}
