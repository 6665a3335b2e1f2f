import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaWorkerPool } from '../../../../src/media/core/worker-pool.ts';
import { withDeadline } from '../../../../src/media/core/deadline.ts';
import { CcboxError } from '../../../../src/platform/errors.ts';

describe('MediaWorkerPool', { timeout: 30_000 }, () => {
  let pool: MediaWorkerPool;
  before(async () => {
    pool = await MediaWorkerPool.start({ workers: 2, rtcPortRange: { min: 48600, max: 48799 }, requestTimeoutMs: 3000 });
  });
  after(async () => {
    await pool.stop();
  });

  test('starts the configured workers; one router per call, spread over the workers', async () => {
    assert.equal(pool.workers.length, 2);
    const [a1, a2, b] = await Promise.all([pool.getRouterForCall('a'), pool.getRouterForCall('a'), pool.getRouterForCall('b')]);
    assert.equal(a1, a2, 'the same call gets the same router');
    assert.notEqual(a1, b);
    assert.equal(pool.callCount, 2);
    assert.notEqual(pool.callsOnWorker(pool.workers[0].pid).length, 2, 'least loaded worker');
    const mimes = a1.rtpCapabilities.codecs!.map((c) => `${c.mimeType}/${c.preferredPayloadType ?? ''}`);
    assert.ok(mimes.includes('audio/PCMU/0') && mimes.includes('audio/PCMA/8'), mimes.join());
    assert.ok(mimes.some((m) => m.startsWith('audio/opus')));
    assert.ok(!mimes.some((m) => m.includes('telephone-event')));
    pool.releaseCall('a');
    pool.releaseCall('b');
    assert.ok(a1.closed && b.closed);
    assert.equal(pool.callCount, 0);
  });

  test('a worker killed with SIGKILL is replaced and reports the calls it carried', async () => {
    const r1 = await pool.getRouterForCall('k1');
    const r2 = await pool.getRouterForCall('k2');
    const victim = pool.workers.find((w) => pool.callsOnWorker(w.pid).includes('k1'))!;
    const carried = pool.callsOnWorker(victim.pid);
    const died = pool.waitFor('worker-died');
    const replaced = pool.waitFor('worker-replaced');
    process.kill(victim.pid, 'SIGKILL');
    const [info] = await died;
    assert.equal(info.pid, victim.pid);
    assert.deepEqual(info.calls.sort(), carried.sort());
    assert.throws(() => pool.check(), (e: CcboxError) => e.code === 'CCBOX_ERR_UNAVAILABLE');
    const [rep] = await replaced;
    assert.equal(rep.index, info.index);
    assert.notEqual(rep.worker.pid, victim.pid);
    pool.check();
    assert.equal(pool.workers.length, 2);
    assert.ok((carried.includes('k1') ? r1 : r2).closed);
    // The call can get a fresh router afterwards.
    const again = await pool.getRouterForCall('k1');
    assert.ok(!again.closed);
    pool.releaseCall('k1');
    pool.releaseCall('k2');
  });
});

test('withDeadline turns a request that never answers into CCBOX_ERR_TIMEOUT', async () => {
  await assert.rejects(withDeadline(new Promise(() => undefined), 20, 'mediasoup thing'), (e: CcboxError) => e.code === 'CCBOX_ERR_TIMEOUT' && /thing/.test(e.message));
  assert.equal(await withDeadline(Promise.resolve(7), 20, 'x'), 7);
});
