// 来电弹屏 rules, pure: which pages show, the URL hash a page receives on ringing / answer / end, and which
// postMessage from a page is accepted (source 'ccc-sdk', from one of the configured pages' origins only).
import type { AgentCard, ScreenPopPage, WbSession } from './types';

/** status in the hash: 100 呼入中, 200 已接入, 400 已结束. */
export type PopStatus = 100 | 200 | 400;

export function popStatus(s: WbSession | null): PopStatus | null {
  if (!s) return null;
  if (s.state === 'ringing' || s.state === 'dialing') return 100;
  if (s.state === 'connected' || s.state === 'held') return 200;
  return 400;
}

export function popHash(o: { session: WbSession | null; agent: AgentCard | null; sdkAppId: string }): string {
  const s = o.session;
  const status = popStatus(s);
  const q = new URLSearchParams();
  q.set('mobile', s?.number ?? '');
  q.set('userId', s?.data.userId ?? s?.data.UserId ?? '');
  q.set('nickName', s?.callerName ?? '');
  q.set('avatar', s?.data.avatar ?? '');
  q.set('status', status === null ? '' : String(status));
  q.set('type', 'phone');
  q.set('agentEmail', o.agent?.email ?? '');
  q.set('agentMobile', o.agent?.mobile ?? '');
  q.set('agentNickName', o.agent?.nickname ?? '');
  q.set('agentRoleId', o.agent ? String(o.agent.roleId) : '');
  q.set('sdkAppId', o.sdkAppId);
  q.set('sessionId', s?.callId ?? '');
  return q.toString();
}

/** The page's URL with our hash in place of its own. */
export function popUrl(pageUrl: string, hash: string): string {
  const i = pageUrl.indexOf('#');
  return `${i >= 0 ? pageUrl.slice(0, i) : pageUrl}#${hash}`;
}

/** 常显 pages always; 仅通话时 pages while a session rings, talks or has just ended. */
export function visiblePages(pages: ScreenPopPage[], session: WbSession | null): ScreenPopPage[] {
  return pages.filter((p) => p.enabled && (p.mode === 'always' || session !== null));
}

export function pageOrigins(pages: ScreenPopPage[]): Set<string> {
  const out = new Set<string>();
  for (const p of pages) {
    try {
      out.add(new URL(p.url).origin);
    } catch {
      // the server only stores valid https URLs; ignore anything else
    }
  }
  return out;
}

/**
 * What an agent or a business page gives to dial: a phone number (spaces and dashes dropped) or, with
 * 号码隐私保护 映射为用户 ID, the customer's user ID as it is (CUST-0001 keeps its dash). Null when neither.
 */
export function dialInput(raw: string): string | null {
  const v = raw.trim();
  const clean = /^[\d\s()+*#-]+$/.test(v) ? v.replace(/[\s()-]/g, '') : v;
  return /^[A-Za-z0-9_.@+*#-]{2,64}$/.test(clean) ? clean : null;
}

export type PopMessage =
  | { kind: 'callOut'; phoneNumber: string; desc: string | null }
  | { kind: 'sendCard'; header: string; desc: string; pic: string; url: string };

const text = (v: unknown, max = 500): string => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : '');

/**
 * A message a screen-pop page sent: `{source: 'ccc-sdk', type: 'callOut' | 'sendCard', data: {...}}`
 * (`event`/`action` are accepted for `type`, and the fields may sit beside it instead of in `data`).
 * Anything else, or from another origin, is ignored.
 */
export function parsePopMessage(origin: string, data: unknown, allowed: Set<string>): PopMessage | null {
  if (!allowed.has(origin) || !data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (m.source !== 'ccc-sdk') return null;
  const kind = m.type ?? m.event ?? m.action;
  const d = (m.data && typeof m.data === 'object' ? m.data : m.params && typeof m.params === 'object' ? m.params : m) as Record<string, unknown>;
  if (kind === 'callOut') {
    // A number, or (号码隐私保护 with user IDs) the customer's user ID; the box resolves it.
    const phoneNumber = dialInput(text(d.phoneNumber, 64));
    if (!phoneNumber) return null;
    return { kind, phoneNumber, desc: text(d.desc ?? d.phoneDesc, 64) || null };
  }
  if (kind === 'sendCard') {
    return { kind, header: text(d.header, 200), desc: text(d.desc, 1000), pic: text(d.pic, 2000), url: text(d.url, 2000) };
  }
  return null;
}
