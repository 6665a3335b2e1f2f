// What a workbench event looks like to the user it goes to: the customer's 归属地 looked up on the box (from
// the real number, so it still shows when the agent sees a mask or a user ID), then 号码隐私保护 applied to the
// customer's number for agent roles (src/privacy). Extensions and our own numbers pass unchanged. A ringing call
// also carries the customer's latest 备注 (the remark on their last call with one), so the agent sees it again.
import type { UserRecord } from '../../directory/index.ts';
import type { Database } from '../../platform/db.ts';
import { isMasked, type NumberPrivacy } from '../../privacy/index.ts';
import { actorFor } from '../auth.ts';
import { numberInfo } from '../sdk/number-info.ts';

/** Per event: the fields that carry the customer's number. */
const CUSTOMER_FIELDS: Record<string, readonly string[]> = {
  callOffer: ['callerNumber'],
  callState: ['number'],
  incoming: ['callerNumber', 'number', 'caller'],
};

const locatable = (n: unknown): n is string => typeof n === 'string' && /^\+?\d{7,20}$/.test(n);

export type EventPresenter = (user: UserRecord, event: string, data: unknown) => Promise<unknown>;

/** The newest non-empty remark on a call with this number (the call_records caller/callee indexes). */
async function lastRemark(db: Database, number: string): Promise<string | null> {
  const row = await db.get<{ remark: string }>(
    `SELECT remark FROM (
       SELECT remark, started_at FROM call_records WHERE caller = ? AND remark != ''
       UNION ALL SELECT remark, started_at FROM call_records WHERE callee = ? AND remark != ''
     ) ORDER BY started_at DESC LIMIT 1`,
    [number, number],
  );
  return row?.remark ?? null;
}

export function eventPresenter(privacy: NumberPrivacy | null, db: Database | null = null): EventPresenter {
  return async (user, event, data) => {
    const fields = CUSTOMER_FIELDS[event];
    if (!fields || !data || typeof data !== 'object') return data;
    const d = { ...(data as Record<string, unknown>) };
    const present = fields.filter((f) => typeof d[f] === 'string' && d[f] !== '');
    if (!present.length) return d;
    const first = d[present[0]!];
    if (!('location' in d) && locatable(first)) {
      const info = await numberInfo(first, 'zh').catch(() => null);
      d.location = [info?.location, info?.carrier].filter(Boolean).join(' ');
    }
    if (db && event === 'callOffer' && typeof first === 'string' && !('customerRemark' in d)) {
      d.customerRemark = (await lastRemark(db, first).catch(() => null)) ?? '';
    }
    if (!privacy) return d;
    const actor = actorFor(user, 'session', '');
    if (!(await privacy.protects(actor))) return d;
    const shown = await privacy.presentMany(actor, present.map((f) => d[f] as string));
    for (const f of present) d[f] = shown.get(d[f] as string) ?? d[f];
    // The screen pop's `userId` is the mapped user ID when the site maps numbers to users.
    const uid = shown.get(first as string);
    if (event === 'callOffer' && uid && uid !== first && !isMasked(uid) && (await privacy.mode()) === 'uid') {
      d.data = { ...((d.data as Record<string, unknown> | undefined) ?? {}), userId: uid };
    }
    return d;
  };
}
