// The media part as the box boots it: recordings cut by a power loss repaired, port ranges
// checked, and a mediasoup worker killed under live calls: they end with a recorded cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkMediaPorts, startMedia } from '../../../../src/media/core/index.ts';
import { SipLeg } from '../../../../src/media/core/sip-leg.ts';
import { buildWavHeader } from '../../../../src/media/codec/index.ts';
import { buildOffer, serializeSdp } from '../../../../src/sip/core/index.ts';
import { CcboxError, createLogger, defaultConfig, loadConfig } from '../../../../src/platform/index.ts';
import { RtpParty } from '../../../helpers/sipp-media.ts';

const log = createLogger({ level: process.env.CCBOX_TEST_LOG ?? 'silent' });
const testConfig = (dataDir: string) => loadConfig({}, {
  dataDir, mediaWorkers: 1, mediaEdgeWorkers: 1, mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1',
  mediaEdgePortMin: 45500, mediaEdgePortMax: 45999, mediaRtcPortMin: 48800, mediaRtcPortMax: 48999,
});

test('port ranges: defaults are DESIGN.md\'s and disjoint; overlapping or tiny ranges are refused', () => {
  const c = defaultConfig();
  assert.deepEqual([c.mediaEdgePortMin, c.mediaEdgePortMax, c.mediaRtcPortMin, c.mediaRtcPortMax], [40000, 47999, 48000, 49999]);
  checkMediaPorts(c);
  assert.throws(() => checkMediaPorts({ ...c, mediaRtcPortMin: 47000 }), (e: CcboxError) => e.code === 'CCBOX_ERR_CONFIG' && /overlap/.test(e.message));
  assert.throws(() => checkMediaPorts({ ...c, mediaEdgePortMax: c.mediaEdgePortMin + 1 }), (e: CcboxError) => e.code === 'CCBOX_ERR_CONFIG');
  assert.equal(loadConfig({ CCBOX_MEDIA_WORKERS: '3', CCBOX_MEDIA_ANNOUNCED_ADDRESS: '192.0.2.7' }).mediaWorkers, 3);
  assert.throws(() => loadConfig({ CCBOX_MEDIA_WORKERS: 'many' }), (e: CcboxError) => e.code === 'CCBOX_ERR_CONFIG');
});

test('boot repairs a recording cut by a power loss; a killed worker ends the calls on its routers with media-worker-died (edge-only calls live on) and is replaced', { timeout: 30_000 }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ccbox-mediacore-'));
  const recordings = path.join(dataDir, 'recordings');
  await mkdir(recordings);
  // A header still saying 0 bytes, followed by 8000 bytes of audio: what a power loss leaves.
  await writeFile(path.join(recordings, 'cut.wav.part'), Buffer.concat([buildWavHeader({ format: 'pcm16', channels: 2, sampleRate: 8000, dataBytes: 0 }), Buffer.alloc(8000, 1)]));
  const media = await startMedia({ config: testConfig(dataDir), log, tts: null });
  const party = await RtpParty.open();
  try {
    assert.deepEqual(await readdir(recordings), ['cut.wav']);
    media.check();
    const call = await media.createCall('doomed');
    const leg = await call.createSipLeg({ offer: serializeSdp(buildOffer({ address: '127.0.0.1', port: party.port, codecs: ['PCMA'], origin: { sessionId: '1', sessionVersion: '1' } })) });
    await call.startRecording();
    // The call is on the worker once something needs its router (here: the leg's audio on it).
    await (call.leg(leg.legId) as SipLeg).route();
    // A call whose legs only the edge serves has no router: a worker dying does not touch it.
    const edgeOnly = await media.createCall('edge-only');
    await edgeOnly.createSipLeg({ offer: null });
    const ports = media.edge.portsInUse;
    assert.equal(ports, 2);
    const failed = media.waitFor('call-media-failed');
    const closed = call.waitFor('closed');
    const replaced = media.pool.waitFor('worker-replaced');
    process.kill(media.pool.workers[0].pid, 'SIGKILL');
    assert.deepEqual((await failed)[0], { callId: 'doomed', cause: 'media-worker-died' });
    assert.deepEqual((await closed)[0], { cause: 'media-worker-died' });
    assert.equal(call.closed, true);
    assert.equal(media.edge.portsInUse, 1, 'the edge leg was freed');
    assert.equal(edgeOnly.closed, false, 'the edge-only call lives on');
    assert.equal(media.call('doomed'), undefined);
    assert.ok((await readdir(recordings)).includes('doomed.wav'), 'its recording was finalized');
    assert.equal((await call.close('again'))?.path, path.join(recordings, 'doomed.wav'), 'and its result kept for the call record');
    assert.ok(call.leg(leg.legId) === undefined);
    await replaced;
    media.check();
    const next = await media.createCall('after');
    const l2 = await next.createSipLeg({ offer: null });
    assert.match(l2.sdp, /m=audio 45\d\d\d RTP\/AVP/);
    await next.close('done');
    await edgeOnly.close('done');
  } finally {
    party.close();
    await media.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
