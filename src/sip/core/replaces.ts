// RFC 3891 Replaces: reading it from a header or from a Refer-To URI (attended transfer from
// desk phones) and matching it against our dialogs.
import type { NameAddr, Replaces } from './header-types.ts';
import { parseReplaces } from './header-values.ts';
import { isSipUri } from './uri.ts';
import type { Dialog } from './dialog.ts';

/** The Replaces carried as a URI header of a Refer-To (RFC 3891 7 / RFC 3515), if any. */
export function replacesFromReferTo(referTo: NameAddr): Replaces | undefined {
  if (!isSipUri(referTo.uri)) return undefined;
  const h = referTo.uri.headers.find(([name]) => name.toLowerCase() === 'replaces');
  return h ? parseReplaces(h[1]) : undefined;
}

/** Writes a Replaces value for one of our dialogs, as seen by the peer that will receive it. */
export function replacesFor(dialog: Dialog, earlyOnly = false): string {
  // RFC 3891 3: to-tag and from-tag are those of the dialog at the UA receiving the Replaces,
  // i.e. its local tag is our remote tag.
  return `${dialog.id.callId};to-tag=${dialog.id.remoteTag};from-tag=${dialog.id.localTag}${earlyOnly ? ';early-only' : ''}`;
}

export type ReplacesMatch = { ok: true; dialog: Dialog } | { ok: false; status: 481 | 486 | 603; reason: string };

/**
 * RFC 3891 3: the dialog to replace has Call-ID = callid, local tag = to-tag and remote tag =
 * from-tag. "If more than one Replaces header field is present ... or no match is found, the
 * UAS MUST reject the INVITE ... with a 481 Call/Transaction Does Not Exist". A confirmed
 * dialog with early-only gets 486; a terminated one 603 ("If the Replaces header field
 * matches a dialog which has already terminated, the UA SHOULD decline the request").
 */
export function matchReplaces(replaces: Replaces, dialogs: Iterable<Dialog>): ReplacesMatch {
  for (const d of dialogs) {
    if (d.id.callId !== replaces.callId || d.id.localTag !== replaces.toTag || d.id.remoteTag !== replaces.fromTag) continue;
    if (d.state === 'terminated') return { ok: false, status: 603, reason: 'Decline' };
    if (replaces.earlyOnly && d.state === 'confirmed') return { ok: false, status: 486, reason: 'Busy Here' };
    return { ok: true, dialog: d };
  }
  return { ok: false, status: 481, reason: 'Call/Transaction Does Not Exist' };
}

