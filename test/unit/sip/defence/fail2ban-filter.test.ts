// systemd/fail2ban-ccbox.conf must match the security lines the SIP defences write, as they appear in the
// journal (the pino JSON line), with <HOST> capturing the offending address.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { SipDefence } from '../../../../src/sip/defence/index.ts';
import { ROOT } from '../../../helpers/process.ts';
import { capturingLogger } from '../sip-test-helpers.ts';

/** failregex from the filter, with fail2ban's <HOST> turned into a named group (IPv4 or IPv6). */
function failRegexes(): RegExp[] {
  const conf = readFileSync(path.join(ROOT, 'systemd', 'fail2ban-ccbox.conf'), 'utf8');
  const m = /^failregex[ \t]*=[ \t]*(.+(?:\n[ \t]+.+)*)/m.exec(conf);
  assert.ok(m, 'the filter has a failregex');
  return m[1]!.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => new RegExp(l.replace('<HOST>', '(?<host>[0-9A-Fa-f.:]+)')));
}
const ignoreRegex = (): string => /^ignoreregex[ \t]*=[ \t]*(.*)$/m.exec(readFileSync(path.join(ROOT, 'systemd', 'fail2ban-ccbox.conf'), 'utf8'))?.[1]?.trim() ?? '';

describe('fail2ban filter', () => {
  it('matches every SIP ban-worthy line the defences write and extracts the address', () => {
    const cap = capturingLogger();
    const d = new SipDefence({ clock: new FakeClock(), log: cap.log, settings: { authFailMax: 2, rateMaxRequests: 1 } });
    d.authFailed('192.0.2.10', '1001', 'REGISTER bad-response');
    d.authFailed('192.0.2.10', '1001', 'REGISTER bad-response'); // → ban
    d.admit({ ip: '2001:db8::7', isRequest: true });
    d.admit({ ip: '2001:db8::7', isRequest: true }); // → rate-limit + ban
    d.admit({ ip: '198.51.100.3', isRequest: true, userAgent: 'friendly-scanner' });
    d.stop();
    const res = failRegexes();
    assert.equal(ignoreRegex(), '');
    const raw = cap.lines.filter((l) => String(l.msg).startsWith('ccbox-security'));
    const expected: Array<[string, string]> = [
      ['auth-failure', '192.0.2.10'], ['auth-failure', '192.0.2.10'], ['ban', '192.0.2.10'], ['ban', '192.0.2.10'],
      ['rate-limit', '2001:db8::7'], ['ban', '2001:db8::7'], ['scanner', '198.51.100.3'],
    ];
    assert.deepEqual(raw.map((l) => [l.security, l.ip]), expected);
    for (const l of raw) {
      // The journal holds the JSON line; the text form is what a plain log file would hold.
      for (const text of [JSON.stringify(l), String(l.msg)]) {
        const hit = res.map((re) => re.exec(text)).find(Boolean);
        assert.ok(hit, `filter matches ${text}`);
        assert.equal(hit!.groups!.host, l.ip);
      }
    }
  });

  it('does not match unbans or harmless lines', () => {
    const res = failRegexes();
    for (const text of ['ccbox-security event=unban proto=sip ip=192.0.2.10 user="" detail="ip:192.0.2.10 lifted by console"', 'SIP phone registered ip=192.0.2.10']) {
      assert.ok(!res.some((re) => re.test(text)), text);
    }
  });
});
