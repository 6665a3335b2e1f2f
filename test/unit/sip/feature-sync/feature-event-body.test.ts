// The as-feature-event bodies (BroadSoft DND key sync, as Yealink and Fanvil send them): SetDoNotDisturb read
// with or without namespace prefixes, anything else refused clearly, and the NOTIFY body built escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doNotDisturbEvent, parseFeatureRequest } from '../../../../src/sip/feature-sync/feature-event-body.ts';

const NS = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';

test('SetDoNotDisturb as phones send it: plain, prefixed, with comments, xs:boolean forms', () => {
  const yealink = `<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<SetDoNotDisturb xmlns="${NS}">\r\n<device>1001</device>\r\n<doNotDisturbOn>true</doNotDisturbOn>\r\n</SetDoNotDisturb>`;
  assert.deepEqual(parseFeatureRequest(Buffer.from(yealink)), { kind: 'dnd', device: '1001', dnd: true });
  const prefixed = `<x:SetDoNotDisturb xmlns:x="${NS}"><!-- key 3 --><x:device>10&amp;01</x:device><x:doNotDisturbOn> 0 </x:doNotDisturbOn></x:SetDoNotDisturb>`;
  assert.deepEqual(parseFeatureRequest(prefixed), { kind: 'dnd', device: '10&01', dnd: false });
  assert.deepEqual(parseFeatureRequest(`<SetDoNotDisturb><doNotDisturbOn>1</doNotDisturbOn></SetDoNotDisturb>`), { kind: 'dnd', device: '', dnd: true });
});

test('an empty body asks for nothing; other features and bad documents are told apart', () => {
  assert.deepEqual(parseFeatureRequest(''), { kind: 'none' });
  assert.deepEqual(parseFeatureRequest('<?xml version="1.0"?>\r\n'), { kind: 'none' });
  assert.deepEqual(parseFeatureRequest(`<SetForwarding xmlns="${NS}"><forwardingType>forwardImmediate</forwardingType></SetForwarding>`), { kind: 'unsupported', root: 'SetForwarding' });
  assert.equal(parseFeatureRequest('hello').kind, 'invalid');
  assert.equal(parseFeatureRequest('<SetDoNotDisturb><device>1001</device></SetDoNotDisturb>').kind, 'invalid');
  const notBool = parseFeatureRequest('<SetDoNotDisturb><doNotDisturbOn>maybe</doNotDisturbOn></SetDoNotDisturb>');
  assert.equal(notBool.kind, 'invalid');
  assert.match((notBool as { reason: string }).reason, /not a boolean/);
});

test('hostile bodies: a 60 kB unclosed element and deep nesting answer at once, without throwing', () => {
  const t0 = process.hrtime.bigint();
  assert.equal(parseFeatureRequest(`<SetDoNotDisturb><doNotDisturbOn>${'<a '.repeat(20_000)}`).kind, 'invalid');
  assert.equal(parseFeatureRequest(`${'<a>'.repeat(10_000)}`).kind, 'unsupported');
  assert.equal(parseFeatureRequest(`<SetDoNotDisturb><doNotDisturbOn>${'t'.repeat(60_000)}</doNotDisturbOn></SetDoNotDisturb>`).kind, 'invalid');
  // Not a timing test: a catastrophic regex would take minutes here, not a fraction of a second.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e9 < 5);
});

test('the NOTIFY body: the CSTA namespace, the state, the device escaped', () => {
  const body = doNotDisturbEvent('a<b>&"c\'', true);
  assert.match(body, new RegExp(`<DoNotDisturbEvent xmlns="${NS.replace(/[./]/g, '\\$&')}">`));
  assert.match(body, /<device>a&lt;b&gt;&amp;&quot;c&apos;<\/device>/);
  assert.match(body, /<doNotDisturbOn>true<\/doNotDisturbOn>/);
  assert.deepEqual(parseFeatureRequest(doNotDisturbEvent('1002', false).replace(/DoNotDisturbEvent/g, 'SetDoNotDisturb')), { kind: 'dnd', device: '1002', dnd: false });
});
