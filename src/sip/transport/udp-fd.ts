// A second file descriptor of a bound UDP socket, for a thread of its own to read and answer on the same
// address and port. Node 20 has no SO_REUSEPORT (reusePort came in 22.12), and two libuv handles on one
// fd number would each close it — the second close hitting whatever the number was reused for — so each
// thread gets its own descriptor of the one socket: dup(2), called through koffi (prebuilt FFI).
import type dgram from 'node:dgram';
import { createRequire } from 'node:module';

let dup: ((fd: number) => number) | undefined;

/** The socket's own descriptor (libuv's handle; Node exposes it only on the deprecated _handle). */
function fdOf(socket: dgram.Socket): number {
  const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  const fd = (state ? (socket as unknown as Record<symbol, { handle?: { fd?: unknown } }>)[state]?.handle?.fd : undefined);
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) throw new Error('the UDP socket exposes no file descriptor');
  return fd;
}

/** A new descriptor of the bound socket; the caller owns it (bind a dgram socket to it with { fd }). */
export function duplicateUdpFd(socket: dgram.Socket): number {
  if (process.platform !== 'linux') throw new Error(`duplicating a socket is done on Linux only (${process.platform})`);
  // Loaded on first use: a box whose FFI cannot load still boots, with its main thread reading alone.
  dup ??= (createRequire(import.meta.url)('koffi') as typeof import('koffi')).load('libc.so.6').func('int dup(int fd)') as (fd: number) => number;
  const copy = dup(fdOf(socket));
  if (copy < 0) throw new Error('dup(2) failed on the UDP socket');
  return copy;
}
