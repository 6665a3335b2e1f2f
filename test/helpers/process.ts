// Runs `src/main.ts` as a child process (optionally inside a network namespace) and waits on its log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BoxProcess {
  child: ChildProcess;
  output: () => string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

export function spawnBox(env: Record<string, string>, opts: { netns?: string } = {}): BoxProcess {
  const cmd = opts.netns ? 'ip' : process.execPath;
  const args = ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')];
  const child = spawn(cmd, opts.netns ? ['netns', 'exec', opts.netns, process.execPath, ...args] : args, {
    cwd: ROOT,
    env: { ...process.env, CCBOX_LOG_LEVEL: 'info', CCBOX_SIP_PORT: '0', CCBOX_SIP_TLS_PORT: '0', CCBOX_WEBRTC_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = re.exec(out);
          if (m) {
            listeners.delete(check);
            clearTimeout(t);
            resolve(m);
          }
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${re} in:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => setTimeout(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(t);
            reject(new Error(`process exited before ${re}:\n${out}`));
          }
        }, 50));
        check();
      });
    },
  };
}
