import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replacesFromReferTo, replacesFor, matchReplaces } from '../../../../src/sip/core/replaces.ts';
import { parseNameAddr } from '../../../../src/sip/core/header-address.ts';
import { parseReplaces } from '../../../../src/sip/core/header-values.ts';
import { Dialog } from '../../../../src/sip/core/dialog.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import { request } from './transaction-fixtures.ts';

describe('RFC 3891 Replaces', () => {
  const dialog = Dialog.fromUasRequest(request('INVITE'), 'ttag', { localContact: '<sip:box@h>' }, 'confirmed');

  it('parses the header and rejects missing tags', () => {
    assert.deepEqual(parseReplaces('call-1@192.0.2.20;to-tag=ttag;from-tag=ftag'), { callId: 'call-1@192.0.2.20', toTag: 'ttag', fromTag: 'ftag', earlyOnly: false });
    assert.throws(() => parseReplaces('abc;to-tag=1'), SipParseError);
  });

  it('reads Replaces from a Refer-To URI header (attended transfer)', () => {
    const referTo = parseNameAddr('<sip:1002@box.example?Replaces=call-1%40192.0.2.20%3Bto-tag%3Dttag%3Bfrom-tag%3Dftag>');
    assert.deepEqual(replacesFromReferTo(referTo), { callId: 'call-1@192.0.2.20', toTag: 'ttag', fromTag: 'ftag', earlyOnly: false });
    assert.equal(replacesFromReferTo(parseNameAddr('<sip:1002@box.example>')), undefined);
  });

  it('matches our dialog by Call-ID, to-tag = local tag, from-tag = remote tag', () => {
    assert.equal(replacesFor(dialog), 'call-1@192.0.2.20;to-tag=ftag;from-tag=ttag');
    const m = matchReplaces(parseReplaces('call-1@192.0.2.20;to-tag=ttag;from-tag=ftag'), [dialog]);
    assert.ok(m.ok && m.dialog === dialog);
    assert.deepEqual(matchReplaces(parseReplaces('call-1@192.0.2.20;to-tag=ftag;from-tag=ttag'), [dialog]), { ok: false, status: 481, reason: 'Call/Transaction Does Not Exist' });
    assert.equal((matchReplaces(parseReplaces('call-1@192.0.2.20;to-tag=ttag;from-tag=ftag;early-only'), [dialog]) as { status: number }).status, 486);
  });
});
