// RFC 4475 torture messages against the SIP core: parser verdicts, serialize→reparse
// equality, and the server-level verdicts of validateRequestForServer.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseMessage, serializeMessage, SipParseError, validateRequestForServer, validateResponseForClient,
  getVias, getTo, getFrom, getContacts, getContentType, getTopVia, getAuthHeaders, hasMagicCookie,
  serializeUri, uriEquals, type SipMessage, type SipRequest, type SipResponse, type SipUri,
} from '../../src/sip/core/index.ts';
import { conformanceTransactionChecks, conformanceDigestChecks } from './rfc4475-extra.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = path.resolve(repoRoot, '..', 'shared', 'conformance', 'rfc4475');

/** README table: valid messages (parse, round-trip). */
const VALID = ['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri',
  'transports', 'mpart01', 'unreason', 'noreason', 'baddate', 'badbranch'];
/** Invalid messages and the class of rejection (400/505 answer, or silent drop). */
const INVALID: Record<string, 400 | 505 | 'drop'> = {
  badinv01: 400, clerr: 400, ncl: 400, scalar02: 400, scalarlg: 'drop', quotbal: 400, ltgtruri: 400,
  lwsruri: 400, lwsstart: 400, trws: 400, escruri: 400, regbadct: 400, badaspec: 400, baddn: 400,
  badvers: 505, mismatch01: 400, mismatch02: 400, bigcode: 'drop',
};
/** Application-level requests: parse leniently, then the verdict of validateRequestForServer. */
const APPLICATION: Record<string, number | null> = {
  insuf: 400, unkscm: 416, novelsc: 416, unksm2: null, bext01: 420, invut: 415, regaut01: null,
  multi01: 400, mcl01: 400, zeromf: null, cparam01: null, cparam02: null, regescrt: null, sdp01: 406,
  inv2543: null,
};

const read = (name: string) => readFileSync(path.join(DIR, `${name}.dat`));

function headerTable(m: SipMessage): Array<[string, readonly string[]]> {
  return [...m.headers.entries()].filter(([n]) => n !== 'Content-Length');
}

function assertRoundTrip(m: SipMessage): void {
  const bytes = serializeMessage(m);
  const again = parseMessage(bytes);
  assert.equal(again.kind, m.kind);
  if (m.kind === 'request' && again.kind === 'request') {
    assert.equal(again.method, m.method);
    assert.ok(uriEquals(again.uri, m.uri));
    assert.equal(serializeUri(again.uri), serializeUri(m.uri));
  } else if (m.kind === 'response' && again.kind === 'response') {
    assert.equal(again.status, m.status);
    assert.equal(again.reason, m.reason);
  }
  assert.deepEqual(headerTable(again), headerTable(m));
  assert.ok(again.body.equals(m.body), 'body bytes');
  assert.ok(serializeMessage(again).equals(bytes), 'serialization is stable');
}

function rejection(buf: Buffer): SipParseError {
  try {
    parseMessage(buf);
  } catch (err) {
    assert.ok(err instanceof SipParseError);
    return err;
  }
  assert.fail('accepted');
}

/** Specific interpretations the RFC asks for, beyond "it parses". */
const INTERPRETATION: Record<string, (m: SipMessage) => void> = {
  wsinv: (m) => {
    assert.equal(getTo(m).tag, '1918181833n');
    assert.equal(getVias(m).length, 3);
    assert.equal(getVias(m)[1].branch, 'z9hG4bK9ikj8');
    assert.equal(getFrom(m).displayName, 'J Rosenberg \\"');
    assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
    const [c] = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
    assert.equal(c.q, 0.33);
    assert.equal(c.params.get('newparam'), 'newvalue');
  },
  intmeth: (m) => {
    assert.equal((m as SipRequest).method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.equal((m as SipRequest & { uri: SipUri }).uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(getFrom(m).tag, "_token~1'+`*%!-.");
    assert.equal(getTo(m).displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    assert.equal(m.headers.get("extensionHeader-!.%*+_`'~"), '\uFEFF大停電');
  },
  esc01: (m) => {
    assert.equal((m.kind === 'request' && (m.uri as SipUri).user), 'sips:user@example.com');
    assert.equal((getTo(m).uri as SipUri).user, 'user');
    const [c] = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
    assert.deepEqual([...(c.uri as SipUri).params], [['lr', null], ['name', 'value%41']]);
  },
  escnull: (m) => {
    assert.equal((getTo(m).uri as SipUri).user, 'null-\x00-null');
    assert.equal((getContacts(m) as unknown[]).length, 2);
  },
  esc02: (m) => {
    assert.equal((m as SipRequest).method, 'RE%47IST%45R');
    assert.equal((getContacts(m) as unknown[]).length, 2);
    assert.equal(m.headers.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
  },
  lwsdisp: (m) => assert.equal(getFrom(m).displayName, 'caller'),
  longreq: (m) => {
    assert.equal(getVias(m).length, 34);
    assert.equal(getTopVia(m).host, 'sip33.example.com');
    assert.equal((getTo(m).uri as SipUri).port, 6000);
    assert.equal(m.body.length, 150);
  },
  dblreq: (m) => {
    assert.equal((m as SipRequest).method, 'REGISTER');
    assert.equal(m.body.length, 0);
  },
  semiuri: (m) => {
    const uri = (m as SipRequest).uri as SipUri;
    assert.equal(uri.user, 'user;par=u@example.net');
    assert.equal(uri.host, 'example.com');
    assert.equal(uri.params.size, 0);
  },
  transports: (m) => assert.deepEqual(getVias(m).map((v) => v.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']),
  mpart01: (m) => {
    assert.equal(m.body.length, 553);
    assert.equal(getContentType(m)?.params.get('boundary'), '7a9cbec02ceef655');
  },
  unreason: (m) => {
    assert.equal((m as SipResponse).status, 200);
    assert.match((m as SipResponse).reason, /^= 2\*\*3 \* 5\*\*2 но сто девяносто девять - простое$/);
  },
  noreason: (m) => assert.equal((m as SipResponse).reason, ''),
  baddate: (m) => assert.equal(m.headers.get('Date'), 'Fri, 01 Jan 2010 16:00:00 EST'),
  badbranch: (m) => {
    assert.equal(getTopVia(m).branch, 'z9hG4bK');
    assert.equal(hasMagicCookie(getTopVia(m).branch), false, 'falls back to RFC 2543 matching');
  },
};

if (!existsSync(DIR)) {
  test('RFC 4475 torture messages', (t) => {
    t.skip(`RFC 4475 data not present at ${DIR}; suite skipped`);
  });
} else {
  describe('RFC 4475 torture messages', () => {
    it('covers every .dat file in the folder', () => {
      const files = readdirSync(DIR).filter((f) => f.endsWith('.dat')).map((f) => f.slice(0, -4)).sort();
      const known = [...VALID, ...Object.keys(INVALID), ...Object.keys(APPLICATION), 'bcast'].sort();
      assert.deepEqual(files, known);
    });

    for (const name of VALID) {
      it(`${name}: parses and round-trips`, () => {
        const m = parseMessage(read(name));
        INTERPRETATION[name]?.(m);
        assertRoundTrip(m);
      });
    }

    for (const [name, expected] of Object.entries(INVALID)) {
      it(`${name}: rejected (${expected})`, () => {
        const err = rejection(read(name));
        if (expected === 'drop') {
          assert.equal(err.status, null);
          assert.equal(err.respondable, false);
        } else {
          assert.equal(err.status, expected);
          assert.ok(err.respondable, 'a request with a Via can be answered');
        }
      });
    }

    for (const [name, expected] of Object.entries(APPLICATION)) {
      it(`${name}: server verdict ${expected ?? 'OK'}`, () => {
        const m = parseMessage(read(name), { validate: false });
        assert.equal(m.kind, 'request');
        const v = validateRequestForServer(m as SipRequest);
        assert.equal(v?.status ?? null, expected, v?.reason);
        if (expected !== null && expected !== 420 && expected !== 415 && expected !== 406) {
          assert.equal(rejection(read(name)).status, expected, 'strict parse agrees');
        }
      });
    }

    it('bext01: 420 lists the unknown Require tags in Unsupported', () => {
      const v = validateRequestForServer(parseMessage(read('bext01')) as SipRequest);
      assert.deepEqual(v?.headers, [['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']]);
      const proxied = validateRequestForServer(parseMessage(read('bext01')) as SipRequest, { forwarding: true });
      assert.match(proxied!.headers[0][1], /noProxiesSupportThis, norDoAnyProxiesSupportThis$/);
    });

    it('invut: 415 carries Accept: application/sdp', () => {
      const v = validateRequestForServer(parseMessage(read('invut')) as SipRequest);
      assert.deepEqual(v?.headers, [['Accept', 'application/sdp']]);
    });

    it('zeromf: 483 when the request must be forwarded, answered locally otherwise', () => {
      const m = parseMessage(read('zeromf')) as SipRequest;
      assert.equal(validateRequestForServer(m, { forwarding: true })?.status, 483);
      assert.equal(validateRequestForServer(m), null);
    });

    it('unksm2: unknown schemes in To/From/Contact are kept as absolute URIs', () => {
      const m = parseMessage(read('unksm2'));
      assert.deepEqual(getTo(m).uri, { scheme: 'isbn', opaque: '2983792873' });
      assert.deepEqual(getFrom(m).uri, { scheme: 'http', opaque: '//www.example.com' });
      const [c] = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
      assert.deepEqual(c.uri, { scheme: 'name', opaque: 'John_Smith' });
      assertRoundTrip(m);
    });

    it('cparam01/cparam02: Contact parameters vs URI parameters', () => {
      const [c1] = getContacts(parseMessage(read('cparam01'))) as Exclude<ReturnType<typeof getContacts>, '*'>;
      assert.ok(c1.params.has('unknownparam'));
      assert.equal((c1.uri as SipUri).params.size, 0);
      const [c2] = getContacts(parseMessage(read('cparam02'))) as Exclude<ReturnType<typeof getContacts>, '*'>;
      assert.equal(c2.params.size, 0);
      assert.ok((c2.uri as SipUri).params.has('unknownparam'));
    });

    it('regescrt: escaped header in a Contact URI is allowed and kept', () => {
      const m = parseMessage(read('regescrt'));
      const [c] = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
      assert.deepEqual((c.uri as SipUri).headers, [['Route', '<sip:sip.example.com>']]);
      assertRoundTrip(m);
    });

    it('regaut01: unknown Authorization scheme parses without breaking', () => {
      const [auth] = getAuthHeaders(parseMessage(read('regaut01')), 'Authorization');
      assert.equal(auth.scheme, 'NoOneKnowsThisScheme');
      assert.equal(auth.params.get('opaque-data'), 'here');
      conformanceDigestChecks(read('regaut01'));
    });

    it('inv2543: RFC 2543 INVITE without branch, Max-Forwards or Content-Length', () => {
      const m = parseMessage(read('inv2543'));
      assert.equal(getTopVia(m).branch, undefined);
      assert.ok(m.body.toString().startsWith('v=0'));
    });

    it('mcl01: strict parse rejects the conflicting Content-Length values', () => {
      assert.match(rejection(read('mcl01')).reason, /Content-Length/);
    });

    it('bcast: a UA drops a response with more than one Via (RFC 3261 8.1.3.3)', () => {
      const m = parseMessage(read('bcast'));
      assert.equal(validateResponseForClient(m as SipResponse), 'drop');
    });

    it('badbranch: RFC 2543 transaction matching absorbs the retransmission', () => {
      conformanceTransactionChecks(read('badbranch'));
    });
  });
}
