// Entry point: load the configuration, start the box, stop gracefully on SIGTERM/SIGINT (also when the
// signal arrives during boot), exit non-zero with a clear message when the box cannot start
// (bad config, corrupt or locked database).
import { spawn } from 'node:child_process';
import { startBox, type Box } from './box.ts';
import { CcboxError, createLogger, loadConfig } from './platform/index.ts';

function systemdNotify(state: string): void {
  if (!process.env.NOTIFY_SOCKET) return;
  spawn('systemd-notify', [state], { stdio: 'ignore' }).on('error', () => undefined);
}

async function main(): Promise<void> {
  let log = createLogger({ level: process.env.CCBOX_LOG_LEVEL ?? 'info' });
  let box: Box | undefined;
  let stopRequested: string | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  const stop = async (signal: string): Promise<void> => {
    if (stopRequested && box === undefined) return;
    stopRequested = signal;
    if (!box) return; // still booting: main() stops once the box is up
    const b = box;
    box = undefined;
    log.info({ signal }, 'stopping');
    clearInterval(watchdog);
    await b.stop();
    log.info('stopped cleanly');
    log.flush?.();
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    const config = loadConfig();
    log = createLogger({ level: config.logLevel });
    box = await startBox(config, { log });
  } catch (err) {
    const msg = err instanceof CcboxError ? `${err.code}: ${err.message}` : String((err as Error).stack ?? err);
    log.fatal({ err }, 'ccbox cannot start');
    log.flush?.();
    process.stderr.write(`ccbox cannot start: ${msg}\n`);
    setTimeout(() => process.exit(1), 100);
    return;
  }
  if (stopRequested) return stop(stopRequested);
  systemdNotify('--ready');
  const usec = Number(process.env.WATCHDOG_USEC ?? 0);
  if (usec > 0) watchdog = setInterval(() => systemdNotify('WATCHDOG=1'), usec / 2000);
}

void main();
