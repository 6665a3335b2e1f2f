// Runs a helper program (espeak-ng, sox, ffmpeg) with stdin, collected stdout and a deadline.
import { spawn } from 'node:child_process';
import { CcboxError } from '../../platform/errors.ts';

export interface RunOptions {
  input?: Buffer | string;
  timeoutMs: number;
  /** Largest stdout accepted (bytes). */
  maxOutput?: number;
}

export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const finish = (e: Error | null, value?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(value!);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new CcboxError('CCBOX_ERR_TIMEOUT', `${command} did not finish within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (options.maxOutput !== undefined && outBytes > options.maxOutput) {
        child.kill('SIGKILL');
        finish(new CcboxError('CCBOX_ERR_VALIDATION', `${command} produced more than ${options.maxOutput} bytes`));
        return;
      }
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.on('error', (e) => finish(new CcboxError('CCBOX_ERR_UNAVAILABLE', `${command} cannot run: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) => {
      if (code === 0) finish(null, Buffer.concat(out));
      else finish(new CcboxError('CCBOX_ERR_UNAVAILABLE', `${command} failed (${signal ?? code}): ${err.trim().slice(0, 500)}`));
    });
    // A helper that exits before reading all of stdin is reported by its exit status, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
