// The softphone's state for the agent: connecting, ready, reconnecting (ICE restart after a blip), the
// microphone permission flow (what to do when the browser blocks it), and the input/output device choice.
import { useI18n, type MessageKey } from '../i18n';
import type { SoftphoneHandle } from './useSoftphone';

const STATE: Record<string, MessageKey> = {
  off: 'wb.phone.off', connecting: 'wb.phone.connecting', idle: 'wb.phone.connecting', starting: 'wb.phone.starting', ready: 'wb.phone.ready',
  reconnecting: 'wb.phone.reconnecting', failed: 'wb.phone.failed', stopped: 'wb.phone.off', unavailable: 'wb.phone.unavailable',
  denied: 'wb.phone.denied', 'no-mic': 'wb.phone.noMic', replaced: 'wb.phone.replaced',
};

export function SoftphonePanel({ phone, compact }: { phone: SoftphoneHandle; compact?: boolean }) {
  const { t } = useI18n();
  const ok = phone.state === 'ready';
  const bad = ['failed', 'denied', 'no-mic', 'replaced'].includes(phone.state);
  return (
    <div className="wb-phone" data-testid="wb-phone" data-state={phone.state} data-socket={phone.socketUp ? 'up' : 'down'}>
      <span className={`badge ${ok ? 'badge-ok' : bad ? 'badge-bad' : 'badge-warn'}`} data-testid="wb-phone-state">
        {t(STATE[phone.state] ?? 'wb.phone.connecting')}
      </span>
      {phone.state === 'denied' && (
        <span className="small wb-help" data-testid="wb-mic-help">{t('wb.phone.deniedHelp')}</span>
      )}
      {phone.state === 'no-mic' && <span className="small wb-help">{t('wb.phone.noMicHelp')}</span>}
      {phone.error && <span className="small text-error" data-testid="wb-phone-error">{phone.error}</span>}
      {(bad || phone.state === 'failed') && phone.state !== 'replaced' && (
        <button type="button" className="btn btn-sm" data-testid="wb-phone-retry" onClick={phone.retry}>{t('common.retry')}</button>
      )}
      {!compact && ok && (
        <span className="wb-devices">
          <label className="small">
            {t('wb.phone.input')}
            <select value={phone.inputId} data-testid="wb-device-input" onChange={(e) => void phone.setInput(e.target.value)}>
              <option value="">{t('wb.phone.default')}</option>
              {phone.inputs.map((d, i) => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `${t('wb.phone.input')} ${i + 1}`}</option>)}
            </select>
          </label>
          {phone.outputs.length > 0 && (
            <label className="small">
              {t('wb.phone.output')}
              <select value={phone.outputId} data-testid="wb-device-output" onChange={(e) => phone.setOutput(e.target.value)}>
                <option value="">{t('wb.phone.default')}</option>
                {phone.outputs.map((d, i) => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `${t('wb.phone.output')} ${i + 1}`}</option>)}
              </select>
            </label>
          )}
        </span>
      )}
    </div>
  );
}
