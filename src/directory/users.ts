// Account rows: lookup by login name, password changes, the first admin.
import type { Database, Tx } from '../platform/db.ts';
import { hashPassword } from '../platform/secrets.ts';
import type { UserRecord } from './directory-types.ts';

interface UserRow {
  id: number;
  username: string | null;
  name: string;
  nickname: string;
  staff_no: string | null;
  email: string | null;
  role_id: number;
  role_name: string;
  permissions: string;
  scope_groups: string | null;
  password_hash: string;
  password_changed_at: number;
  state: 'active' | 'forced_offline';
  deleted_at: number | null;
}

const SELECT_USER = `SELECT u.*, r.name AS role_name, r.permissions, r.scope_groups
  FROM users u JOIN roles r ON r.id = u.role_id`;

const toRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  name: r.name,
  nickname: r.nickname,
  staffNo: r.staff_no,
  email: r.email,
  roleId: r.role_id,
  roleName: r.role_name,
  permissions: JSON.parse(r.permissions) as string[],
  scope: r.scope_groups === null ? null : (JSON.parse(r.scope_groups) as number[]),
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  state: r.state,
  deleted: r.deleted_at !== null,
});

export class Users {
  constructor(private readonly db: Database) {}

  /** Login name: `admin`-style username, an e-mail, or a staff number. Deleted accounts are not found. */
  async findByLogin(login: string): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>(
      `${SELECT_USER} WHERE u.deleted_at IS NULL AND (u.username = ?1 OR u.email = ?1 OR u.staff_no = ?1)
       ORDER BY u.username IS NULL, u.id LIMIT 1`,
      [login.trim()],
    );
    return row && toRecord(row);
  }

  async byId(id: number): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>(`${SELECT_USER} WHERE u.id = ?`, [id]);
    return row && toRecord(row);
  }

  async setPassword(id: number, password: string, tx?: Tx): Promise<void> {
    const hash = await hashPassword(password);
    const write = (t: Tx): Promise<unknown> =>
      t.run('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?', [hash, Date.now(), id]);
    if (tx) await write(tx);
    else await this.db.transaction(write);
  }

  /** Creates the `admin` account on first boot; returns false when it already exists. */
  async ensureAdmin(password: string): Promise<boolean> {
    const hash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      if (await tx.get("SELECT id FROM users WHERE username = 'admin'")) return false;
      const role = await tx.get<{ id: number }>("SELECT id FROM roles WHERE builtin = 'admin'");
      await tx.run(
        `INSERT INTO users (username, name, nickname, role_id, password_hash, password_changed_at, created_at)
         VALUES ('admin', '管理员', 'admin', ?, ?, ?, ?)`,
        [role!.id, hash, Date.now(), Date.now()],
      );
      return true;
    });
  }
}
