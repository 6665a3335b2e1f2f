// Supervision on a live call: customer, agent and supervisor are RTP phones on loopback, each
// talking a tone of its own; what each one hears is analysed (Goertzel) after the supervisor
// listens, then whispers, then barges in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMedia, type CallMedia, type MediaCoreService, type SipLeg } from '../../src/media/core/index.ts';
import { buildOffer, serializeSdp } from '../../src/sip/core/index.ts';
import { createLogger, loadConfig } from '../../src/platform/index.ts';
import { RtpParty, toneLevels } from '../helpers/sipp-media.ts';

const TONE = { customer: 450, agent: 1100, supervisor: 2000 } as const;
type Party = keyof typeof TONE;
const FREQS = [TONE.customer, TONE.agent, TONE.supervisor];
const HEARD = 2000;
const NOT_HEARD = 250;

function phoneSdp(port: number): string {
  return serializeSdp(buildOffer({ address: '127.0.0.1', port, codecs: ['PCMA'], origin: { sessionId: '9', sessionVersion: '1' } }));
}

describe('listen, whisper, barge: who hears whom', { timeout: 60_000 }, () => {
  let media: MediaCoreService;
  let dataDir: string;
  let call: CallMedia;
  const parties = {} as Record<Party, RtpParty>;
  const legs = {} as Record<Party, string>;
  const talkers: { stop: () => Promise<void> }[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccbox-media-sup-'));
    const config = loadConfig({}, {
      dataDir, mediaWorkers: 1, mediaEdgeWorkers: 1, mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1',
      mediaEdgePortMin: 44000, mediaEdgePortMax: 44999, mediaRtcPortMin: 49000, mediaRtcPortMax: 49999,
    });
    media = await startMedia({ config, log: createLogger({ level: process.env.CCBOX_TEST_LOG ?? 'silent' }), tts: null });
    call = await media.createCall('supervised');
    for (const who of ['customer', 'agent', 'supervisor'] as const) parties[who] = await RtpParty.open();
    // The customer calls in (its offer), the agent and the supervisor are called out (our offers).
    legs.customer = (await call.createSipLeg({ offer: phoneSdp(parties.customer.port) })).legId;
    for (const who of ['agent', 'supervisor'] as const) {
      const leg = await call.createSipLeg({ offer: null, role: who });
      await call.updateSipLeg(leg.legId, phoneSdp(parties[who].port));
      legs[who] = leg.legId;
    }
    await call.connect(legs.customer, legs.agent);
    for (const who of ['customer', 'agent', 'supervisor'] as const) {
      talkers.push(parties[who].talk((call.leg(legs[who]) as SipLeg).edgeLeg.localPort, TONE[who]));
    }
  });
  after(async () => {
    await Promise.all(talkers.map((t) => t.stop()));
    for (const p of Object.values(parties)) p.close();
    await call.close('test over');
    await media.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** What each party hears over the next ~0.6 s (the first packets after a change are skipped). */
  async function whatEachHears(parties_: readonly Party[] = ['customer', 'agent', 'supervisor']): Promise<Record<Party, Record<Party, boolean>>> {
    const marks = Object.fromEntries(Object.entries(parties).map(([who, p]) => [who, p.mark()])) as Record<Party, number>;
    const out = {} as Record<Party, Record<Party, boolean>>;
    for (const who of parties_) {
      const p = parties[who];
      await p.until(marks[who] + 40, 8);
      const levels = toneLevels(p.heard(marks[who] + 10, marks[who] + 40).pcm, FREQS);
      const verdict = (level: number, src: string): boolean => {
        assert.ok(level > HEARD || level < NOT_HEARD, `${who} hears ${src} at an ambiguous level ${level.toFixed(0)} (${levels.map((l) => l.toFixed(0)).join(', ')})`);
        return level > HEARD;
      };
      out[who] = { customer: verdict(levels[0], 'customer'), agent: verdict(levels[1], 'agent'), supervisor: verdict(levels[2], 'supervisor') };
    }
    return out;
  }

  test('before supervision: customer and agent hear each other only', async () => {
    const h = await whatEachHears(['customer', 'agent']);
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: false });
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: false });
    assert.equal(parties.supervisor.received.length, 0, 'the supervisor hears nothing yet');
  });

  test('listen: the supervisor hears both sides, nobody hears the supervisor', async () => {
    await call.listen(legs.supervisor, { customer: legs.customer, agent: legs.agent });
    const h = await whatEachHears();
    assert.deepEqual(h.supervisor, { customer: true, agent: true, supervisor: false });
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: false });
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: false });
  });

  test('whisper: the agent hears customer and supervisor, the customer still hears the agent only', async () => {
    await call.whisper(legs.supervisor, { customer: legs.customer, agent: legs.agent });
    const h = await whatEachHears();
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: true });
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: false });
    assert.deepEqual(h.supervisor, { customer: true, agent: true, supervisor: false });
  });

  test('barge: three-way, everyone hears the two others', async () => {
    await call.barge(legs.supervisor, { customer: legs.customer, agent: legs.agent });
    const h = await whatEachHears();
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: true });
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: true });
    assert.deepEqual(h.supervisor, { customer: true, agent: true, supervisor: false });
  });

  test('back to listen, then the supervisor leaves: the call is two-way again', async () => {
    await call.listen(legs.supervisor, { customer: legs.customer, agent: legs.agent });
    let h = await whatEachHears();
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: false });
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: false });
    const closed = call.waitFor('leg-closed');
    await call.removeLeg(legs.supervisor);
    assert.equal((await closed)[0].legId, legs.supervisor);
    h = await whatEachHears(['customer', 'agent']);
    assert.deepEqual(h.customer, { customer: false, agent: true, supervisor: false });
    assert.deepEqual(h.agent, { customer: true, agent: false, supervisor: false });
  });
});
