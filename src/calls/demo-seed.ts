// The demo profile's channel (DESIGN.md): `demo-trunk`, a public SIP trunk whose carrier is 127.0.0.2
// (trusted by IP; outbound calls go to 127.0.0.2:5080), with number 02088880000 — so phones on 127.0.0.1
// are never taken for the carrier.
import type { Database } from '../platform/db.ts';

export const DEMO_TRUNK = {
  name: 'demo-trunk',
  carrierHost: '127.0.0.2',
  carrierPort: 5080,
  number: '02088880000',
  capacity: 30,
} as const;

/** Idempotent: the channel and its number are added when missing; a changed demo trunk is kept as it is. */
export async function seedDemoTrunk(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const now = Date.now();
    let channel = await tx.get<{ id: number }>('SELECT id FROM sip_channels WHERE name = ?', [DEMO_TRUNK.name]);
    if (!channel) {
      const settings = { carrierHost: DEMO_TRUNK.carrierHost, carrierPort: DEMO_TRUNK.carrierPort, transport: 'udp', trustedIps: [] };
      const r = await tx.run(
        `INSERT INTO sip_channels (name, device_type, capacity, mode, settings, enabled, created_at, updated_at)
         VALUES (?, 'sipTrunk', ?, 'publicTrunk', ?, 1, ?, ?)`,
        [DEMO_TRUNK.name, DEMO_TRUNK.capacity, JSON.stringify(settings), now, now],
      );
      channel = { id: r.lastID };
    }
    const number = await tx.get('SELECT id FROM sip_numbers WHERE number = ?', [DEMO_TRUNK.number]);
    // The demo's carrier is a test peer that may not be running: the number is effective from the start.
    if (!number) {
      await tx.run("INSERT INTO sip_numbers (number, channel_id, send_prefix, state, effective_at, created_at, updated_at) VALUES (?, ?, '', 'effective', ?, ?, ?)", [
        DEMO_TRUNK.number, channel.id, now, now, now,
      ]);
    }
  });
}
