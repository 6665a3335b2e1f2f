// Authenticates a workbench WebSocket upgrade: the session cookie (the same sessions table the
// HTTP API uses), the Origin (same origin as the page: a cross-site page cannot open the socket
// with the agent's cookie), and the CSRF token from the query or the first message.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Directory, UserRecord } from '../../directory/index.ts';
import type { Database } from '../../platform/db.ts';
import { SESSION_COOKIE } from '../auth.ts';

export interface WsSession {
  /** sha256 of the cookie: the sessions table's key. */
  sessionId: string;
  csrf: string;
  user: UserRecord;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export const safeEqual = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** RFC 6455 10.2: the server checks Origin; here it must be the page's own origin. */
export function originAllowed(req: IncomingMessage, secure: boolean): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || !host) return false;
  return origin.toLowerCase() === `${secure ? 'https' : 'http'}://${host.toLowerCase()}`;
}

export async function sessionFromCookie(db: Database, directory: Directory, cookieHeader: string | undefined): Promise<WsSession | null> {
  const sid = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!sid) return null;
  return sessionById(db, directory, sha256(sid));
}

/** The session row by its id (the hash), or null when it ended, expired or its user may not log in. */
export async function sessionById(db: Database, directory: Directory, sessionId: string): Promise<WsSession | null> {
  const row = await db.get<{ id: string; user_id: number; csrf: string; expires_at: number }>(
    'SELECT id, user_id, csrf, expires_at FROM sessions WHERE id = ?',
    [sessionId],
  );
  if (!row || row.expires_at < Date.now()) return null;
  const user = await directory.users.byId(row.user_id);
  if (!user || user.deleted || user.state !== 'active') return null;
  return { sessionId: row.id, csrf: row.csrf, user };
}
