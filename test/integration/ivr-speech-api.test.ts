// 语音设置 and 点击试听 through the API of a running box: the settings keep SecretId/SecretKey sealed (never in
// an answer, nor in the database in clear), bad input is a 400 naming the field, an agent without the `ivr`
// permission is refused; the preview renders the text with the box's TTS into a playable 8 kHz WAV, cached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-speech-2';
const SECRET_ID = 'AKIDapiTestSecret0042';
const SECRET_KEY = 'ApiTestSecretKeyValue99';

describe('IVR speech settings and TTS preview API', { timeout: 120_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(() => tb?.close());

  it('settings: defaults, secrets sealed and never returned, kept when omitted, field-named 400s', async () => {
    const d = await admin.get('/ivr/speech/settings');
    assert.equal(d.status, 200);
    assert.deepEqual(d.body, { asrEngine: 'auto', ttsEngine: 'local', tencent: null });

    const missing = await admin.put('/ivr/speech/settings', { tencent: { appId: '1250000001' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'tencent.secretId');
    const badId = await admin.put('/ivr/speech/settings', { tencent: { appId: 'abc', secretId: SECRET_ID, secretKey: SECRET_KEY } });
    assert.equal(badId.status, 400);
    assert.match(JSON.stringify(badId.body), /appId/);
    const noAccount = await admin.put('/ivr/speech/settings', { ttsEngine: 'tencent' });
    assert.equal(noAccount.status, 400);
    assert.equal(noAccount.body.error.field, 'ttsEngine');

    const set = await admin.put('/ivr/speech/settings', { asrEngine: 'auto', tencent: { appId: '1250000001', secretId: SECRET_ID, secretKey: SECRET_KEY, region: 'ap-beijing' } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.tencent, { appId: '1250000001', region: 'ap-beijing', asrModel: '8k_zh', ttsVoiceZh: 101001, ttsVoiceEn: 101050, secretIdHint: 'AKID****0042', secretKeySet: true });
    const text = JSON.stringify((await admin.get('/ivr/speech/settings')).body);
    assert.ok(!text.includes(SECRET_KEY) && !text.includes(SECRET_ID), 'secrets are not returned');
    const row = await tb.box.storage.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'ivr.speech'");
    assert.ok(row && !row.value.includes(SECRET_KEY) && !row.value.includes(SECRET_ID), 'stored sealed');
    // The providers get them back from the box key.
    assert.equal(tb.box.speech.settings.current().tencent?.secretKey, SECRET_KEY);

    const keep = await admin.put('/ivr/speech/settings', { tencent: { appId: '1250000002', region: 'ap-beijing' } });
    assert.equal(keep.status, 200);
    assert.equal(keep.body.tencent.secretKeySet, true);
    assert.equal(tb.box.speech.settings.current().tencent?.secretId, SECRET_ID);
    const cleared = await admin.put('/ivr/speech/settings', { tencent: null });
    assert.equal(cleared.body.tencent, null);
  });

  it('an agent without the ivr permission is refused', async () => {
    const agent = new ApiClient(tb.base);
    assert.equal((await agent.login('1001@demo.local', 'Agent1001-demo')).status, 200);
    assert.equal((await agent.get('/ivr/speech/settings')).status, 403);
    assert.equal((await agent.put('/ivr/speech/settings', { asrEngine: 'local' })).status, 403);
    assert.equal((await agent.post('/ivr/tts/preview', { text: '您好', voice: 'cmn' })).status, 403);
  });

  it('点击试听: POST /ivr/tts/preview renders an 8 kHz WAV on the box, the same text from the cache', async () => {
    const res = await fetch(`${tb.base}/api/v1/ivr/tts/preview`, {
      method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '您好，欢迎致电，您的排队号是${WaitNo}。', voice: 'cmn' }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 8000, '8 kHz');
    assert.ok(wav.length > 44 + 8000, `${wav.length} bytes: more than a second of speech`);
    const files = () => tb.box.speech.preview('您好，欢迎致电，您的排队号是。', 'cmn');
    assert.equal((await files()).cached, true, 'rendered once, then from the cache');

    const empty = await admin.post('/ivr/tts/preview', { text: '   ', voice: 'cmn' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.field, 'text');
    const onlyVars = await admin.post('/ivr/tts/preview', { text: '${WaitNo}', voice: 'cmn' });
    assert.equal(onlyVars.status, 400);
    const badVoice = await admin.post('/ivr/tts/preview', { text: 'hi', voice: 'fr' });
    assert.equal(badVoice.status, 400);
    assert.equal(badVoice.body.error.field, 'voice');
  });
});
