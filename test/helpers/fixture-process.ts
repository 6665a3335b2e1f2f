// A test fixture running as a child process (e.g. inside a network namespace), driven by JSON lines: requests
// `{id, cmd, ...args}` on its stdin; answers `@@{id, ok, data|error}` and one `@@{ready: …}` on its stdout.
// Other output is kept for error messages.
import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';

export class FixtureProcess {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  ready: Promise<any>;
  output = '';

  constructor(readonly child: ChildProcess) {
    let onReady!: (v: any) => void;
    let onFail!: (e: Error) => void;
    this.ready = new Promise((res, rej) => ((onReady = res), (onFail = rej)));
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (!line.startsWith('@@')) return void (this.output += line + '\n');
      const msg = JSON.parse(line.slice(2));
      if (msg.ready) return onReady(msg);
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.data);
      else p.reject(new Error(msg.error));
    });
    child.stderr!.on('data', (d) => (this.output += String(d)));
    child.on('exit', (code) => {
      onFail(new Error(`fixture exited (${code}):\n${this.output}`));
      for (const p of this.pending.values()) p.reject(new Error(`fixture exited (${code}):\n${this.output}`));
    });
  }

  call(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<any> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`fixture ${cmd} timed out:\n${this.output}`)), timeoutMs);
      this.pending.set(id, { resolve: (v) => (clearTimeout(t), resolve(v)), reject: (e) => (clearTimeout(t), reject(e)) });
      this.child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    });
  }
}
