// IVR 管理 in Chromium against a real box: create a flow from a template, open the canvas, add a module
// from the palette, see validation mark the node, wire it (by dragging an outlet and from the side panel),
// save (the API returns it), walk it in the simulator pressing a key, publish and bind a number; prompt
// files (upload with progress, delete refused while used) and hot words.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

const FLOW = '测试流程';
const GOODBYE = '感谢您的来电，再见。';

function haveFfmpeg(): boolean {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('IVR designer in Chromium', { skip: webSkip }, () => {
  let web: WebSession;
  let tb: TestBox;
  let api: ApiClient;
  let page: Page;
  let flowId = 0;
  let addedId = '';

  before(async () => {
    web = await startWebSession({ context: { viewport: { width: 1440, height: 900 } } });
    ({ tb, api, page } = web);
  });
  after(async () => {
    await web?.close();
  });

  it('lists the flows with kind, bound numbers and versions', async () => {
    const nav = page.getByTestId('nav-ivr');
    assert.equal(await nav.getAttribute('aria-disabled'), null);
    await nav.click();
    await page.waitForURL(/\/ivr$/);
    const demo = page.getByTestId('flow-row-demo');
    await demo.waitFor();
    const text = await demo.innerText();
    assert.ok(text.includes('呼入 IVR') && text.includes('02088880000'), text);
  });

  it('creates a flow from a template and opens it on the canvas', async () => {
    await page.getByTestId('flow-add').click();
    await page.getByTestId('flow-field-name').fill(FLOW);
    await page.getByTestId('flow-template-welcomeMenuAgent').check();
    await page.getByTestId('flow-field-skillGroup').selectOption({ label: '售前' });
    await page.getByTestId('flow-dialog-submit').click();
    await page.waitForURL(/\/ivr\/flows\/\d+$/);
    flowId = Number(/\/ivr\/flows\/(\d+)/.exec(page.url())![1]);
    await page.locator('[data-testid="ivr-designer"][data-loaded="true"]').waitFor();
    // start, welcome, menu, to-agent, end
    await page.locator('[data-testid^="ivr-node-"][data-type]').nth(4).waitFor();
    assert.equal(await page.locator('[data-testid^="ivr-node-"][data-type]').count(), 5);
    assert.equal(await page.getByTestId('designer-flow-name').innerText(), FLOW);
  });

  it('adds a module from the palette; validation marks the unwired node', async () => {
    const before = await page.locator('[data-testid^="ivr-node-"][data-type="play"]').count();
    // Drag the 放音 module from the palette onto the canvas (HTML5 drag and drop).
    const canvas = await page.getByTestId('ivr-canvas').boundingBox();
    await page.getByTestId('palette-play').dragTo(page.getByTestId('ivr-canvas'), {
      targetPosition: { x: canvas!.width / 2, y: 90 },
    });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="ivr-node-"][data-type="play"]').length > n, before);
    const panel = page.getByTestId('node-panel');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-type'), 'play');
    addedId = (await panel.getAttribute('data-node-id'))!;
    assert.match(addedId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    await page.getByTestId('node-field-label').fill('结束语');
    await page.getByTestId('param-prompt-text').fill(GOODBYE);

    await page.getByTestId('designer-validate').click();
    await page.locator('[data-testid="designer-status"][data-state="errors"]').waitFor();
    const node = page.getByTestId(`ivr-node-${addedId}`);
    assert.equal(await node.getAttribute('data-error'), 'true');
    assert.ok(await page.locator(`[data-testid="validation-error"][data-node-id="${addedId}"]`).count() >= 1);
    await page.getByTestId(`field-error-outlet-next`).waitFor();
  });

  it('wires the new node by dragging its outlet and from the panel, validates and saves', async () => {
    // Its 下一步 outlet → the end node, by dragging the handle onto the end node's input.
    const endNode = page.locator('[data-testid^="ivr-node-"][data-type="end"]');
    const endId = (await endNode.getAttribute('data-testid'))!.replace('ivr-node-', '');
    const from = page.getByTestId(`ivr-node-${addedId}`).getByTestId('ivr-handle-out-next');
    const to = endNode.getByTestId('ivr-handle-in');
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.locator(`[data-testid="rf__edge-${addedId}:next"]`).waitFor({ state: 'attached' });

    // The menu gets key 2 → the new node, from the side panel.
    await page.locator('[data-testid^="ivr-node-"][data-type="menu"]').click();
    await page.locator('[data-testid="node-panel"][data-type="menu"]').waitFor();
    await page.getByTestId('param-keys-add').click();
    await page.getByTestId('param-keys-1-key').selectOption('2');
    await page.getByTestId('param-keys-1-label').fill('结束');
    await page.getByTestId('outlet-select-key:2').selectOption(addedId);

    await page.getByTestId('designer-validate').click();
    await page.locator('[data-testid="designer-status"][data-state="ok"]').waitFor();
    assert.equal(await page.getByTestId(`ivr-node-${addedId}`).getAttribute('data-error'), 'false');

    await page.getByTestId('designer-save').click();
    await page.locator('[data-testid="ivr-designer"][data-dirty="false"]').waitFor();
    const saved = (await api.get(`/ivr/flows/${flowId}/versions/MAIN`)).body;
    const node = saved.definition.nodes.find((n: { id: string }) => n.id === addedId);
    assert.equal(node.type, 'play');
    assert.equal(node.label, '结束语');
    assert.equal(node.params.prompt.text, GOODBYE);
    assert.equal(node.outlets.next, endId);
    const menu = saved.definition.nodes.find((n: { type: string }) => n.type === 'menu');
    assert.equal(menu.outlets['key:2'], addedId);
  });

  it('walks the flow in the simulator pressing a key', async () => {
    await page.getByTestId('designer-simulate').click();
    await page.getByTestId('sim-start').click();
    await page.locator('[data-testid="sim-waiting"][data-kind="digits"]').waitFor();
    assert.match(await page.getByTestId('sim-transcript').innerText(), /欢迎致电/);
    await page.getByTestId('sim-key-2').click();
    await page.locator('[data-testid="sim-waiting"][data-kind="ended"]').waitFor();
    assert.ok((await page.getByTestId('sim-transcript').innerText()).includes(GOODBYE));
    assert.ok((await page.getByTestId('sim-path').innerText()).includes('结束语'));
    assert.equal(await page.getByTestId(`ivr-node-${addedId}`).getAttribute('data-visited'), 'true');
    await page.screenshot({ path: path.join(OUT, 'web-ivr-designer.png') });
  });

  it('publishes MAIN, creates version 1 with a note, and binds a number', async () => {
    await page.getByTestId('designer-versions').click();
    const dlg = page.getByTestId('versions-dialog');
    await dlg.getByTestId('version-row-MAIN').getByTestId('version-publish').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid="version-row-MAIN"][data-published="true"]').waitFor();
    await page.getByTestId('version-new-note').fill('节假日流程');
    await page.getByTestId('version-create').click();
    await page.getByTestId('version-row-1').waitFor();
    assert.ok((await page.getByTestId('version-row-1').innerText()).includes('节假日流程'));
    await page.keyboard.press('Escape');

    await page.getByTestId('designer-bind').click();
    await page.getByTestId('bind-number').fill('02088880001');
    await page.getByTestId('bind-version').selectOption('MAIN');
    await page.getByTestId('bind-submit').click();
    await page.getByTestId('bind-row-02088880001').waitFor();
    const bindings = (await api.get('/ivr/bindings')).body;
    assert.ok(bindings.some((b: { number: string; flowId: number }) => b.number === '02088880001' && b.flowId === flowId));
    await page.keyboard.press('Escape');
  });

  it('uploads a prompt file with progress and refuses to delete it while a flow uses it', { skip: !haveFfmpeg() && 'ffmpeg is not installed' }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-web-ivr-'));
    const wav = path.join(dir, 'hello.wav');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5', '-ar', '8000', '-ac', '1', wav]);
    await page.getByTestId('designer-back').click();
    await page.getByTestId('ivr-tab-prompts').click();
    await page.getByTestId('prompt-upload-file').setInputFiles(wav);
    assert.equal(await page.getByTestId('prompt-upload-name').inputValue(), 'hello');
    await page.getByTestId('prompt-upload-name').fill('欢迎音');
    await page.getByTestId('prompt-upload-submit').click();
    const row = page.getByTestId('prompt-row-欢迎音');
    await row.waitFor();
    assert.match(await row.getByTestId('prompt-duration').innerText(), /1\.[45] s/);
    const promptId = (await row.getAttribute('data-id'))!;
    const audio = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/ivr/prompts/${id}/audio`);
      return { status: r.status, type: r.headers.get('content-type') };
    }, promptId);
    assert.deepEqual(audio, { status: 200, type: 'audio/wav' });

    // Use it in the flow (through the API), then try to delete it: the server names the flow.
    const v = (await api.get(`/ivr/flows/${flowId}/versions/MAIN`)).body;
    const defn = v.definition;
    defn.nodes.find((n: { id: string }) => n.id === addedId).params.prompt = { kind: 'file', promptId };
    assert.equal((await api.put(`/ivr/flows/${flowId}/versions/MAIN`, { definition: defn })).status, 200);
    await page.reload();
    await row.getByTestId('prompt-delete').click();
    await page.getByTestId('confirm-ok').click();
    const toast = page.locator('[data-testid="toast"][data-kind="error"]');
    await toast.waitFor();
    assert.ok((await toast.innerText()).includes(FLOW), await toast.innerText());
    assert.equal(await row.count(), 1);
    assert.ok(readFileSync(wav).length > 0);
  });

  it('edits a hot-word list', async () => {
    await page.goto(tb.base + '/ivr/hot-words');
    await page.getByTestId('hw-add').click();
    await page.getByTestId('hw-field-name').fill('售后热词');
    await page.getByTestId('hw-word-0-word').fill('维修');
    await page.getByTestId('hw-word-0-weight').fill('8');
    await page.getByTestId('hw-bulk').fill('退货|6\n非法@字符|3');
    await page.getByTestId('hw-bulk-add').click();
    await page.getByTestId('hw-dialog-submit').click();
    await page.getByTestId('hw-word-2-error').waitFor();
    await page.getByTestId('hw-word-2-remove').click();
    await page.getByTestId('hw-dialog-submit').click();
    const row = page.getByTestId('hw-row-售后热词');
    await row.waitFor();
    assert.equal(await row.getByTestId('hw-count').innerText(), '2');
    const lists = (await api.get('/ivr/hot-words')).body;
    assert.deepEqual(lists.find((l: { name: string }) => l.name === '售后热词').words, [{ word: '维修', weight: 8 }, { word: '退货', weight: 6 }]);
  });
});
