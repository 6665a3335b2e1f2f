// The bench's phones: demo-like extensions with strong passwords of the manual's rule, and the sipp -inf
// files that hand them to the scenarios (one line per registration or call, used in turn).
import { writeFileSync } from 'node:fs';

export interface BenchPhone {
  extension: string;
  password: string;
}

export interface BenchPhones {
  /** Registering phones of the REGISTER series. */
  registering: BenchPhone[];
  /** Callers and callees of the call series (callees all registered to one answering sipp). */
  callers: BenchPhone[];
  callees: BenchPhone[];
  all: BenchPhone[];
}

const phone = (n: number): BenchPhone => ({ extension: String(n), password: `Ext${n}-bench` });
const range = (from: number, count: number): BenchPhone[] => Array.from({ length: count }, (_, i) => phone(from + i));

export function benchPhones(registering: number, pairs: number): BenchPhones {
  const r = range(50000, registering);
  const callers = range(60000, pairs);
  const callees = range(70000, pairs);
  return { registering: r, callers, callees, all: [...r, ...callers, ...callees] };
}

/** sipp's credentials keyword, given whole in a field (sipp substitutes no field inside a keyword). */
const auth = (p: BenchPhone): string => `[authentication username=${p.extension} password=${p.password}]`;

/** -inf file: field0 extension, field1 its credentials (REGISTER scenario). */
export function writeRegisterInf(file: string, phones: BenchPhone[]): void {
  writeFileSync(file, ['SEQUENTIAL', ...phones.map((p) => `${p.extension};${auth(p)}`)].join('\n') + '\n');
}

/** -inf file: field0 caller, field1 its credentials, field2 callee (call scenario). */
export function writeCallInf(file: string, callers: BenchPhone[], callees: BenchPhone[]): void {
  writeFileSync(file, ['SEQUENTIAL', ...callers.map((c, i) => `${c.extension};${auth(c)};${callees[i % callees.length]!.extension}`)].join('\n') + '\n');
}
