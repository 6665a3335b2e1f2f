// Flows, their MAIN and numbered versions, published revisions and number bindings in SQLite.
// Callers validate definitions first; this file only stores them, in one transaction per change.
import type { Database, Tx } from '../../platform/db.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import type { FlowDefinition, FlowKind } from '../flow/index.ts';
import type { FlowSummary, FlowVersionView, NumberBinding, StoredDefinition, VersionSummary } from './store-types.ts';

export const MAIN = 'MAIN';

interface FlowRow {
  id: number;
  name: string;
  kind: FlowKind;
  description: string;
  created_at: number;
  updated_at: number;
}

interface VersionRow {
  id: number;
  flow_id: number;
  version: string;
  based_on: string | null;
  note: string;
  definition: string;
  created_at: number;
  updated_at: number;
  revision: number | null;
  published_at: number | null;
  published_definition: string | null;
}

const VERSIONS_SQL = `SELECT v.*, p.revision, p.published_at, p.definition AS published_definition
  FROM ivr_flow_versions v
  LEFT JOIN ivr_published p ON p.version_id = v.id AND p.revision = (SELECT max(revision) FROM ivr_published WHERE version_id = v.id)`;

/** MAIN first, then numbered versions in order. */
const byVersion = (a: { version: string }, b: { version: string }): number =>
  a.version === MAIN ? -1 : b.version === MAIN ? 1 : Number(a.version) - Number(b.version);

const toSummary = (v: VersionRow): VersionSummary => ({
  version: v.version,
  basedOn: v.based_on,
  note: v.note,
  createdAt: v.created_at,
  updatedAt: v.updated_at,
  published: v.revision === null ? null : { revision: v.revision, publishedAt: v.published_at! },
  unpublishedChanges: v.published_definition !== v.definition,
});

export class FlowStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  private async flowRow(q: Database | Tx, id: number): Promise<FlowRow> {
    const row = await q.get<FlowRow>('SELECT * FROM ivr_flows WHERE id = ?', [id]);
    if (!row) throw notFound('IVR flow');
    return row;
  }

  private async summaries(rows: FlowRow[]): Promise<FlowSummary[]> {
    const versions = await this.db.all<VersionRow>(VERSIONS_SQL);
    const bindings = await this.db.all<{ number: string; flow_id: number; version: string }>('SELECT number, flow_id, version FROM ivr_number_bindings ORDER BY number');
    return rows.map((f) => ({
      id: f.id,
      name: f.name,
      kind: f.kind,
      description: f.description,
      createdAt: f.created_at,
      updatedAt: f.updated_at,
      versions: versions.filter((v) => v.flow_id === f.id).sort(byVersion).map(toSummary),
      bindings: bindings.filter((b) => b.flow_id === f.id).map((b) => ({ number: b.number, version: b.version })),
    }));
  }

  async list(): Promise<FlowSummary[]> {
    return this.summaries(await this.db.all<FlowRow>('SELECT * FROM ivr_flows ORDER BY id'));
  }

  async get(id: number): Promise<FlowSummary> {
    return (await this.summaries([await this.flowRow(this.db, id)]))[0]!;
  }

  async byName(name: string): Promise<FlowSummary | null> {
    const row = await this.db.get<FlowRow>('SELECT * FROM ivr_flows WHERE name = ?', [name]);
    return row ? (await this.summaries([row]))[0]! : null;
  }

  async create(input: { name: string; kind: FlowKind; description: string; definition: FlowDefinition }, userId: number | null): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM ivr_flows WHERE name = ?', [input.name])) throw conflict('name', `IVR 名称已存在: ${input.name} (name already used)`);
      const now = this.now();
      const r = await tx.run('INSERT INTO ivr_flows (name, kind, description, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        input.name, input.kind, input.description, userId, now, now,
      ]);
      await tx.run('INSERT INTO ivr_flow_versions (flow_id, version, based_on, note, definition, updated_by, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)', [
        r.lastID, MAIN, '', JSON.stringify(input.definition), userId, now, now,
      ]);
      return r.lastID;
    });
  }

  async update(id: number, patch: { name?: string; description?: string }): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.flowRow(tx, id);
      const name = patch.name ?? row.name;
      if (name !== row.name && (await tx.get('SELECT 1 FROM ivr_flows WHERE name = ?', [name]))) throw conflict('name', `IVR 名称已存在: ${name} (name already used)`);
      await tx.run('UPDATE ivr_flows SET name = ?, description = ?, updated_at = ? WHERE id = ?', [name, patch.description ?? row.description, this.now(), id]);
    });
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.flowRow(tx, id);
      const bound = await tx.all<{ number: string }>('SELECT number FROM ivr_number_bindings WHERE flow_id = ?', [id]);
      if (bound.length) throw conflict('id', `IVR 已绑定号码 ${bound.map((b) => b.number).join(', ')}，请先解绑 (bound to numbers; unbind them first)`);
      await tx.run('DELETE FROM ivr_flows WHERE id = ?', [id]);
    });
  }

  private async versionRow(q: Database | Tx, flowId: number, version: string): Promise<VersionRow> {
    const row = await q.get<VersionRow>(`${VERSIONS_SQL} WHERE v.flow_id = ? AND v.version = ?`, [flowId, version]);
    if (!row) throw notFound(`version ${version} of IVR flow ${flowId}`);
    return row;
  }

  async getVersion(flowId: number, version: string): Promise<FlowVersionView> {
    const f = await this.flowRow(this.db, flowId);
    const v = await this.versionRow(this.db, flowId, version);
    return { ...toSummary(v), flowId, flowName: f.name, kind: f.kind, definition: JSON.parse(v.definition) as FlowDefinition };
  }

  async saveVersion(flowId: number, version: string, definition: FlowDefinition, userId: number | null, note?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const v = await this.versionRow(tx, flowId, version);
      const now = this.now();
      await tx.run('UPDATE ivr_flow_versions SET definition = ?, note = ?, updated_by = ?, updated_at = ? WHERE id = ?', [JSON.stringify(definition), note ?? v.note, userId, now, v.id]);
      await tx.run('UPDATE ivr_flows SET updated_at = ? WHERE id = ?', [now, flowId]);
    });
  }

  /** A new numbered version copied from an existing one; returns its number. */
  async createVersion(flowId: number, from: string, note: string, userId: number | null): Promise<string> {
    return this.db.transaction(async (tx) => {
      await this.flowRow(tx, flowId);
      const src = await tx.get<{ definition: string }>('SELECT definition FROM ivr_flow_versions WHERE flow_id = ? AND version = ?', [flowId, from]);
      if (!src) throw validationError('from', `版本 ${from} 不存在 (no such version)`);
      const max = await tx.get<{ n: number | null }>("SELECT max(CAST(version AS INTEGER)) AS n FROM ivr_flow_versions WHERE flow_id = ? AND version <> 'MAIN'", [flowId]);
      const version = String((max?.n ?? 0) + 1);
      const now = this.now();
      await tx.run('INSERT INTO ivr_flow_versions (flow_id, version, based_on, note, definition, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        flowId, version, from, note, src.definition, userId, now, now,
      ]);
      return version;
    });
  }

  async removeVersion(flowId: number, version: string): Promise<void> {
    if (version === MAIN) throw validationError('version', 'MAIN 版本不能删除 (the MAIN version cannot be deleted)');
    await this.db.transaction(async (tx) => {
      const v = await this.versionRow(tx, flowId, version);
      const bound = await tx.all<{ number: string }>('SELECT number FROM ivr_number_bindings WHERE flow_id = ? AND version = ?', [flowId, version]);
      if (bound.length) throw conflict('version', `版本已绑定号码 ${bound.map((b) => b.number).join(', ')} (bound to numbers)`);
      await tx.run('DELETE FROM ivr_flow_versions WHERE id = ?', [v.id]);
    });
  }

  /** Freezes the saved definition as the next revision; returns the revision number. */
  async publish(flowId: number, version: string, userId: number | null): Promise<number> {
    return this.db.transaction(async (tx) => {
      const v = await this.versionRow(tx, flowId, version);
      const revision = (v.revision ?? 0) + 1;
      await tx.run('INSERT INTO ivr_published (version_id, revision, definition, published_by, published_at) VALUES (?, ?, ?, ?, ?)', [v.id, revision, v.definition, userId, this.now()]);
      return revision;
    });
  }

  async bind(number: string, flowId: number, version: string, userId: number | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const v = await this.versionRow(tx, flowId, version);
      if (v.revision === null) throw conflict('version', `版本 ${version} 尚未发布，请先发布 (publish the version before binding a number)`);
      await tx.run(
        `INSERT INTO ivr_number_bindings (number, flow_id, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(number) DO UPDATE SET flow_id = excluded.flow_id, version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [number, flowId, version, userId, this.now()],
      );
    });
  }

  async unbind(number: string): Promise<void> {
    const r = await this.db.run('DELETE FROM ivr_number_bindings WHERE number = ?', [number]);
    if (r.changes === 0) throw notFound(`binding of ${number}`);
  }

  async bindings(): Promise<NumberBinding[]> {
    const rows = await this.db.all<{ number: string; flow_id: number; name: string; version: string; updated_at: number }>(
      'SELECT b.number, b.flow_id, f.name, b.version, b.updated_at FROM ivr_number_bindings b JOIN ivr_flows f ON f.id = b.flow_id ORDER BY b.number',
    );
    return rows.map((r) => ({ number: r.number, flowId: r.flow_id, flowName: r.name, version: r.version, updatedAt: r.updated_at }));
  }

  /** The newest published revision of the version bound to a number (what a new call runs). */
  async publishedForNumber(number: string): Promise<{ flowId: number; flowName: string; kind: FlowKind; version: string; revision: number; definition: FlowDefinition } | null> {
    const row = await this.db.get<{ flow_id: number; name: string; kind: FlowKind; version: string; revision: number; definition: string }>(
      `SELECT b.flow_id, f.name, f.kind, b.version, p.revision, p.definition
         FROM ivr_number_bindings b
         JOIN ivr_flows f ON f.id = b.flow_id
         JOIN ivr_flow_versions v ON v.flow_id = b.flow_id AND v.version = b.version
         JOIN ivr_published p ON p.version_id = v.id
        WHERE b.number = ? ORDER BY p.revision DESC LIMIT 1`,
      [number],
    );
    if (!row) return null;
    return { flowId: row.flow_id, flowName: row.name, kind: row.kind, version: row.version, revision: row.revision, definition: JSON.parse(row.definition) as FlowDefinition };
  }

  async publishedOf(flowId: number, version: string): Promise<{ revision: number; definition: FlowDefinition } | null> {
    const v = await this.versionRow(this.db, flowId, version);
    return v.revision === null ? null : { revision: v.revision, definition: JSON.parse(v.published_definition!) as FlowDefinition };
  }

  /** Every saved draft and newest published revision, for "used by" answers. */
  async allDefinitions(): Promise<StoredDefinition[]> {
    const rows = await this.db.all<VersionRow & { name: string }>(`${VERSIONS_SQL.replace('SELECT v.*', 'SELECT v.*, f.name')} JOIN ivr_flows f ON f.id = v.flow_id`);
    const out: StoredDefinition[] = [];
    for (const r of rows) {
      out.push({ flowId: r.flow_id, flowName: r.name, version: r.version, definition: JSON.parse(r.definition) as FlowDefinition });
      if (r.published_definition && r.published_definition !== r.definition) {
        out.push({ flowId: r.flow_id, flowName: r.name, version: r.version, definition: JSON.parse(r.published_definition) as FlowDefinition });
      }
    }
    return out;
  }
}

export function usedBy(defs: StoredDefinition[], uses: (d: FlowDefinition) => boolean): { flowId: number; flowName: string; versions: string[] }[] {
  const out = new Map<number, { flowId: number; flowName: string; versions: string[] }>();
  for (const d of defs) {
    if (!uses(d.definition)) continue;
    const e = out.get(d.flowId) ?? { flowId: d.flowId, flowName: d.flowName, versions: [] };
    if (!e.versions.includes(d.version)) e.versions.push(d.version);
    out.set(d.flowId, e);
  }
  return [...out.values()];
}
