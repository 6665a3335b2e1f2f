// Why a leg ended, from its final response or BYE: the Q.850 cause (from a Reason header when the peer
// sent one, RFC 3326; else by RFC 3398 from the status), a category the call record uses (空号, 关机,
// 不在服务区 and 欠费 come from causes, not statuses), and what the other leg is told.
import { buildReason, describeQ850, q850CauseOf, q850ToSipStatus, sipStatusToQ850, type Reason } from '../core/index.ts';

export type CauseCategory =
  | 'normal' // 正常结束
  | 'busy' // 通话中
  | 'noAnswer' // 未接听
  | 'rejected' // 拒接挂断
  | 'unallocated' // 空号
  | 'poweredOff' // 关机
  | 'outOfService' // 不在服务区
  | 'arrears' // 欠费
  | 'unavailable' // 暂时无法接通
  | 'networkFailure' // 运营商线路异常
  | 'congestion' // 线路忙 (no free channel)
  | 'cancelled' // 主叫取消
  | 'forbidden' // 无权限
  | 'loop' // 呼叫环路
  | 'timeout' // 超时
  | 'sessionExpired' // 会话超时
  | 'mediaFailure' // 媒体故障
  | 'error'; // 系统错误

export const CAUSE_LABEL: Record<CauseCategory, string> = {
  normal: '正常结束', busy: '通话中', noAnswer: '未接听', rejected: '拒接挂断', unallocated: '空号', poweredOff: '关机',
  outOfService: '不在服务区', arrears: '欠费', unavailable: '暂时无法接通', networkFailure: '运营商线路异常', congestion: '线路忙',
  cancelled: '主叫取消', forbidden: '无权限', loop: '呼叫环路', timeout: '超时', sessionExpired: '会话超时', mediaFailure: '媒体故障', error: '系统错误',
};

export interface EndCause {
  category: CauseCategory;
  /** The final status that ended the leg (received or sent), or null for a BYE. */
  status: number | null;
  /** Q.850 cause: the peer's (Reason header) when `fromReason`, else mapped from the status. */
  q850: number;
  fromReason: boolean;
  /** Human-readable, Chinese first. */
  text: string;
}

const BY_Q850: Record<number, CauseCategory> = {
  1: 'unallocated', 2: 'unallocated', 3: 'unallocated', 22: 'unallocated', 26: 'unallocated', 28: 'unallocated',
  16: 'normal', 17: 'busy', 18: 'poweredOff', 19: 'noAnswer', 20: 'outOfService', 21: 'rejected', 31: 'unavailable',
  27: 'networkFailure', 34: 'congestion', 38: 'networkFailure', 41: 'networkFailure', 42: 'congestion', 44: 'congestion', 47: 'networkFailure',
  55: 'forbidden', 57: 'forbidden', 87: 'forbidden', 102: 'timeout', 25: 'loop',
};

function byStatus(status: number): CauseCategory {
  if (status >= 200 && status < 300) return 'normal';
  if (status >= 300 && status < 400) return 'unavailable';
  switch (status) {
    case 402: return 'arrears';
    case 403: case 603: return 'rejected';
    case 404: case 410: case 484: case 485: case 604: return 'unallocated';
    case 408: return 'noAnswer';
    case 480: return 'unavailable';
    case 482: case 483: return 'loop';
    case 486: case 600: return 'busy';
    case 487: return 'cancelled';
    case 500: case 502: case 503: case 504: return 'networkFailure';
  }
  if (status >= 500 && status < 600) return 'networkFailure';
  if (status >= 600) return 'rejected';
  return 'error';
}

/** Carriers word 欠费 in the Reason text (or answer 402) rather than with a dedicated cause. */
const ARREARS_TEXT = /欠费|arrear|insufficient|balance|payment/i;

function make(category: CauseCategory, status: number | null, q850: number, fromReason: boolean, extra?: string): EndCause {
  const text = extra ? `${CAUSE_LABEL[category]} (${extra})` : CAUSE_LABEL[category];
  return { category, status, q850, fromReason, text };
}

/** The cause of a final response (3xx–6xx) to our INVITE, or of a 2xx-ended leg. */
export function causeOfResponse(status: number, reasons: readonly Reason[] = []): EndCause {
  const peer = q850CauseOf(reasons);
  const reasonText = reasons.map((r) => r.text ?? '').join(' ');
  if (status === 402 || ARREARS_TEXT.test(reasonText)) return make('arrears', status, peer ?? 21, peer !== undefined, reasonText || undefined);
  if (peer !== undefined) {
    const category = BY_Q850[peer] ?? byStatus(status);
    return make(category === 'normal' ? byStatus(status) : category, status, peer, true, describeQ850(peer));
  }
  return make(byStatus(status), status, sipStatusToQ850(status), false, `${status}`);
}

/** The cause of a BYE: normal clearing unless its Reason says otherwise. */
export function causeOfBye(reasons: readonly Reason[] = []): EndCause {
  const peer = q850CauseOf(reasons);
  if (peer === undefined) return make('normal', null, 16, false);
  return make(BY_Q850[peer] ?? 'normal', null, peer, true, describeQ850(peer));
}

/** Causes the box itself decides. */
export const LOCAL_CAUSES = {
  normal: (): EndCause => make('normal', null, 16, false),
  cancelled: (): EndCause => make('cancelled', 487, 127, false),
  timeout: (what = 'no response'): EndCause => make('timeout', 408, 102, false, what),
  noAnswer: (): EndCause => make('noAnswer', 480, 19, false),
  congestion: (): EndCause => make('congestion', 503, 34, false),
  forbidden: (why: string): EndCause => make('forbidden', 403, 21, false, why),
  unallocated: (): EndCause => make('unallocated', 404, 1, false),
  unavailable: (): EndCause => make('unavailable', 480, 20, false),
  sessionExpired: (): EndCause => make('sessionExpired', null, 102, false),
  mediaFailure: (why: string): EndCause => make('mediaFailure', 500, 41, false, why),
  error: (why: string): EndCause => make('error', 500, 41, false, why),
};

/**
 * What the caller's leg is answered when the callee side failed with `cause`. Statuses pass through except:
 * 3xx (redirects are not followed: a carrier must not steer our calls), 401/407 (the far side's challenge
 * is ours to answer, not the caller's), and 503 (it means "that server is busy", not the whole path —
 * RFC 3261 16.7 has proxies turn it into 500; a B2BUA says 502).
 */
export function statusForCaller(cause: EndCause): number {
  const s = cause.status;
  if (s === null) return cause.fromReason ? q850ToSipStatus(cause.q850) : 480;
  if (s >= 300 && s < 400) return 480;
  if (s === 401 || s === 407) return 403;
  if (s === 503 && cause.category !== 'congestion') return 502;
  if (s === 487 && cause.category === 'cancelled') return 487;
  return s;
}

/** The Reason header value carrying the cause on to the other leg (RFC 3326). */
export function reasonHeader(cause: EndCause): string {
  return buildReason('Q.850', cause.q850);
}
