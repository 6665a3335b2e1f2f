// RFC 3326 Reason header with ITU-T Q.850 causes: meanings in English and Chinese, and the
// RFC 3398 mappings between ISUP/Q.850 causes and SIP status codes. Carriers signal 空号,
// 关机, 不在服务区 through these causes, often on a 183/480/404 whose status says little.
import { quote } from './grammar.ts';
import type { Reason } from './header-types.ts';

export interface Q850Cause {
  cause: number;
  en: string;
  zh: string;
  /** RFC 3398 7.2.4.1 status for a call released with this cause; null for 16 (a BYE, not an error). */
  sip: number | null;
}

// [cause, English (Q.850), Chinese (as carriers and operators word it), SIP per RFC 3398 7.2.4.1]
const TABLE: Array<[number, string, string, number | null]> = [
  [1, 'Unallocated (unassigned) number', '空号', 404],
  [2, 'No route to specified transit network', '无至指定网络的路由', 404],
  [3, 'No route to destination', '无至目的地的路由', 404],
  [16, 'Normal call clearing', '正常呼叫清除', null],
  [17, 'User busy', '用户忙', 486],
  [18, 'No user responding', '无用户响应（关机或无法接通）', 408],
  [19, 'No answer from user (user alerted)', '无人接听', 480],
  [20, 'Subscriber absent', '用户不在服务区', 480],
  [21, 'Call rejected', '呼叫被拒绝（拒接）', 403],
  [22, 'Number changed', '号码已改变', 410],
  [23, 'Redirection to new destination', '重定向到新目的地', 410],
  [26, 'Non-selected user clearing', '非选用户清除', 404],
  [27, 'Destination out of order', '目的地故障', 502],
  [28, 'Invalid number format (address incomplete)', '号码格式无效（号码不全）', 484],
  [29, 'Facility rejected', '设施被拒绝', 501],
  [31, 'Normal, unspecified', '正常，未指定', 480],
  [34, 'No circuit/channel available', '无可用电路', 503],
  [38, 'Network out of order', '网络故障', 503],
  [41, 'Temporary failure', '临时故障', 503],
  [42, 'Switching equipment congestion', '交换设备拥塞', 503],
  [44, 'Requested circuit/channel not available', '请求的电路不可用', 503],
  [47, 'Resource unavailable, unspecified', '资源不可用', 503],
  [55, 'Incoming calls barred within CUG', '闭合用户群内来话受限', 403],
  [57, 'Bearer capability not authorized', '承载能力未授权', 403],
  [58, 'Bearer capability not presently available', '承载能力暂不可用', 503],
  [63, 'Service or option not available, unspecified', '业务或选项不可用', 503],
  [65, 'Bearer capability not implemented', '承载能力未实现', 488],
  [70, 'Only restricted digital information bearer capability is available', '仅有受限数字承载能力', 488],
  [79, 'Service or option not implemented, unspecified', '业务或选项未实现', 501],
  [87, 'User not member of CUG', '非闭合用户群成员', 403],
  [88, 'Incompatible destination', '目的地不兼容', 503],
  [102, 'Recovery on timer expiry', '定时器超时', 504],
  [111, 'Protocol error, unspecified', '协议错误', 500],
  [127, 'Interworking, unspecified', '互通，未指定', 500],
];

export const Q850_CAUSES: ReadonlyMap<number, Q850Cause> = new Map(TABLE.map(([cause, en, zh, sip]) => [cause, { cause, en, zh, sip }]));

/**
 * RFC 3398 7.2.4.1: the SIP status for a Q.850 cause. Causes outside the table follow their
 * Q.850 class (normal event 480, resource unavailable 503, service not available 503, not
 * implemented 501, invalid message 400, protocol error 500, interworking 500).
 */
export function q850ToSipStatus(cause: number): number {
  const known = Q850_CAUSES.get(cause);
  if (known) return known.sip ?? 480;
  if (cause < 32) return 480;
  if (cause < 64) return 503;
  if (cause < 80) return 501;
  if (cause < 96) return 400;
  return 500;
}

// RFC 3398 8.2.6.1: SIP status → ISUP cause.
const SIP_TO_Q850: Record<number, number> = {
  400: 41, 401: 21, 402: 21, 403: 21, 404: 1, 405: 63, 406: 79, 407: 21, 408: 102, 410: 22,
  413: 127, 414: 127, 415: 79, 416: 127, 420: 127, 421: 127, 423: 127, 480: 18, 481: 41, 482: 25,
  483: 25, 484: 28, 485: 1, 486: 17, 487: 127, 488: 127, 500: 41, 501: 79, 502: 38, 503: 41,
  504: 102, 505: 127, 513: 127, 600: 17, 603: 21, 604: 1, 606: 127,
};

/** RFC 3398 8.2.6.1; statuses it does not list map to 127 (interworking, unspecified). */
export function sipStatusToQ850(status: number): number {
  if (status >= 200 && status < 300) return 16;
  return SIP_TO_Q850[status] ?? 127;
}

export function describeQ850(cause: number, lang: 'zh' | 'en' = 'zh'): string {
  const known = Q850_CAUSES.get(cause);
  if (known) return lang === 'zh' ? known.zh : known.en;
  return lang === 'zh' ? `原因值 ${cause}` : `Cause ${cause}`;
}

/** RFC 3326 2: `Q.850 ;cause=17 ;text="User busy"` */
export function buildReason(protocol: 'Q.850' | 'SIP', cause: number, text?: string): string {
  const t = text ?? (protocol === 'Q.850' ? Q850_CAUSES.get(cause)?.en : undefined);
  return t === undefined ? `${protocol};cause=${cause}` : `${protocol};cause=${cause};text=${quote(t)}`;
}

/** The Q.850 cause among a message's Reason values (protocol compared case-insensitively). */
export function q850CauseOf(reasons: readonly Reason[]): number | undefined {
  return reasons.find((r) => r.protocol.toUpperCase() === 'Q.850' && r.cause !== undefined)?.cause;
}
