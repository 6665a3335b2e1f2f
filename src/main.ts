// Entry point: load the configuration, start the box, stop gracefully on SIGTERM/SIGINT, exit non-zero
// with a clear message when the box cannot start (bad config, corrupt or locked database).
import { spawn } from 'node:child_process';
import { startBox } from './box.ts';
import { CcboxError, createLogger, loadConfig } from './platform/index.ts';

function systemdNotify(state: string): void {
  if (!process.env.NOTIFY_SOCKET) return;
  spawn('systemd-notify', [state], { stdio: 'ignore' }).on('error', () => undefined);
}

async function main(): Promise<void> {
  let log = createLogger({ level: process.env.CCBOX_LOG_LEVEL ?? 'info' });
  try {
    const config = loadConfig();
    log = createLogger({ level: config.logLevel });
    const box = await startBox(config, { log });
    systemdNotify('--ready');
    const usec = Number(process.env.WATCHDOG_USEC ?? 0);
    const watchdog = usec > 0 ? setInterval(() => systemdNotify('WATCHDOG=1'), usec / 2000) : undefined;
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      clearInterval(watchdog);
      await box.stop();
      log.info('stopped cleanly');
      log.flush?.();
      setTimeout(() => process.exit(0), 50).unref();
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (err) {
    const msg = err instanceof CcboxError ? `${err.code}: ${err.message}` : String((err as Error).stack ?? err);
    log.fatal({ err }, 'ccbox cannot start');
    log.flush?.();
    process.stderr.write(`ccbox cannot start: ${msg}\n`);
    setTimeout(() => process.exit(1), 100);
  }
}

void main();
