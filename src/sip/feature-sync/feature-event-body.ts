// Bodies of the BroadSoft device feature key synchronisation package (as-feature-event, BroadWorks
// 11-BD5196): the phone's SetDoNotDisturb request and the server's DoNotDisturbEvent. Pure functions.

export const FEATURE_EVENT = 'as-feature-event';
export const FEATURE_EVENT_TYPE = 'application/x-as-feature-event+xml';
const CSTA_NS = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';

/** What a phone asks for in a SUBSCRIBE body. */
export type FeatureRequest =
  | { kind: 'none' }
  | { kind: 'dnd'; device: string; dnd: boolean }
  /** SetForwarding and anything else: understood as XML, not offered by the box. */
  | { kind: 'unsupported'; root: string }
  | { kind: 'invalid'; reason: string };

const unescapeXml = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
  });

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The text of the first `<name>` child (any namespace prefix), or undefined. */
function child(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z_][\\w.-]*:)?${name}\\s*>`).exec(xml);
  return m ? unescapeXml(m[1]!).trim() : undefined;
}

/**
 * Reads a SUBSCRIBE body. An empty body (a plain subscription or refresh) asks for nothing; a
 * SetDoNotDisturb asks for DND on or off (`doNotDisturbOn` is an xs:boolean: true/false/1/0).
 */
export function parseFeatureRequest(body: Buffer | string): FeatureRequest {
  const xml = body.toString().replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').trim();
  if (!xml) return { kind: 'none' };
  const root = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(xml)?.[1];
  if (!root) return { kind: 'invalid', reason: 'not an XML document' };
  if (root !== 'SetDoNotDisturb') return { kind: 'unsupported', root };
  const on = child(xml, 'doNotDisturbOn');
  if (on === undefined) return { kind: 'invalid', reason: 'SetDoNotDisturb without doNotDisturbOn' };
  if (!/^(true|false|1|0)$/i.test(on)) return { kind: 'invalid', reason: `doNotDisturbOn is not a boolean: ${on.slice(0, 20)}` };
  return { kind: 'dnd', device: child(xml, 'device') ?? '', dnd: /^(true|1)$/i.test(on) };
}

/** The NOTIFY body telling the phone its DND state (the server has the final word, 11-BD5196 3.1). */
export function doNotDisturbEvent(device: string, dnd: boolean): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<DoNotDisturbEvent xmlns="${CSTA_NS}">`,
    `<device>${escapeXml(device)}</device>`,
    `<doNotDisturbOn>${dnd ? 'true' : 'false'}</doNotDisturbOn>`,
    '</DoNotDisturbEvent>',
    '',
  ].join('\r\n');
}
