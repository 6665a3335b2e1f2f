// User agents of SIP scanners and brute-force tools: their requests are dropped without a reply, so a
// scan finds nothing to report (no response means "no SIP server here" to friendly-scanner and kin).

const SCANNER_UA = /friendly-scanner|sipvicious|sipcli|vaxsipuseragent|pplsip|sip-scan|sundayddr|iWar\b/i;

export function isScannerUserAgent(ua: string | undefined): boolean {
  return ua !== undefined && SCANNER_UA.test(ua);
}
