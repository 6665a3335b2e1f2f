// The REGISTER lane with two worker threads reading the SIP UDP socket beside the main thread: sipp
// registrations all succeed and part of them is read by the workers; what the workers do not take (OPTIONS)
// comes back to the main thread and is answered; a phone created after the start registers everywhere
// (the workers' credentials follow the directory and the trunks' gateway accounts); failures counted across threads still ban at 10.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { runSipp } from '../helpers/sipp.ts';

const ADMIN_PW = 'Admin-lane-1';
const target = (tb: TestBox): string => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;

describe('REGISTER lane workers', () => {
  let tb: TestBox;
  let admin: ApiClient;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, sipRateMax: 1_000_000, sipRegisterWorkers: 2 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(() => tb?.close());

  it('starts two workers on the socket; 300 registrations all succeed, the workers judged part of them', async () => {
    const workers = tb.box.sip.laneWorkers;
    assert.ok(workers, 'lane workers started');
    assert.equal(workers.size, 2);
    const before = { ...workers.counts };
    const handled = tb.box.sip.registerLane!.handled;
    const r = await runSipp({ scenario: 'register.xml', target: target(tb), service: '1001', user: '1001', password: 'Ext1001-demo', keys: { expires: '300', ua: 'lane' }, calls: 300, rate: 150, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.errors || r.output);
    // Two REGISTERs per registration, each judged once by the main thread's lane wherever it was read.
    assert.equal(tb.box.sip.registerLane!.handled - handled, 600);
    assert.ok(workers.counts.jobs - before.jobs > 0, `the workers read ${workers.counts.jobs - before.jobs} of the 600 REGISTERs`);
    assert.equal(tb.box.sip.location.lookup('1001').length, 1);
  });

  it('passes back what it does not take: OPTIONS pings are all answered', async () => {
    const before = tb.box.sip.laneWorkers!.counts.datagrams;
    const r = await runSipp({ scenario: 'options.xml', target: target(tb), calls: 200, rate: 100, timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.errors || r.output);
    assert.ok(tb.box.sip.laneWorkers!.counts.datagrams - before > 0, 'some OPTIONS were read by a worker and passed back');
  });

  it('registers a phone created after the start, from whichever thread reads it', async () => {
    const created = await admin.post('/phones', { extension: '1888', name: '话机 1888', password: 'Lane1888-pw!' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const r = await runSipp({ scenario: 'register.xml', target: target(tb), service: '1888', user: '1888', password: 'Lane1888-pw!', keys: { expires: '300', ua: 'lane-new' }, calls: 60, rate: 60, timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.errors || r.output);
    assert.equal(tb.box.sip.location.lookup('1888').length, 1);
  });

  it('knows accounts applied straight to the credential table (a gateway in mode c), on every thread', async () => {
    tb.box.sip.credentials.apply({ kind: 'upsert', credential: { phoneId: -77, extension: 'lane-gw', password: 'Lane-gw-pass1' } });
    const r = await runSipp({ scenario: 'register.xml', target: target(tb), service: 'lane-gw', user: 'lane-gw', password: 'Lane-gw-pass1', keys: { expires: '300', ua: 'gw' }, calls: 60, rate: 60, timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.errors || r.output);
    tb.box.sip.credentials.apply({ kind: 'delete', extension: 'lane-gw' });
  });

  it('counts failed authentications from every thread: the 10th bans the source', async () => {
    const tries = await runSipp({ scenario: 'register-fail.xml', target: target(tb), localIp: '127.0.0.6', service: '1002', user: '1002', password: 'Guess-pass-1', keys: { expires: '60', ua: 'brute' }, calls: 10, rate: 20 });
    assert.equal(tries.code, 0, tries.errors);
    const bans = (await admin.get('/sip/bans')).body as Array<{ key: string }>;
    assert.deepEqual(bans.map((b) => b.key).sort(), ['ip:127.0.0.6', 'user:1002']);
  });
});
