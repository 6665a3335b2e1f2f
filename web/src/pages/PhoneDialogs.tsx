// SIP 话机 dialogs: add / edit a phone, bind it to an agent or a skill group, reset its password.
import { useEffect, useState, type FormEvent } from 'react';
import { directoryApi, type Agent, type SkillGroup } from '../api-directory';
import { phonesApi, type BindingInput, type Phone } from '../api-phones';
import { Field, FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { Secret } from '../components/Secret';
import { useToast } from '../components/Toast';
import { fieldError } from '../hooks';
import { useI18n } from '../i18n';

export const EXTENSION_RE = /^[1-8][0-9]{3,5}$/;
/** The manual's rule for SIP passwords: ≥ 8 characters with upper, lower, digit and special. */
export function strongPassword(p: string): boolean {
  return p.length >= 8 && /[A-Z]/.test(p) && /[a-z]/.test(p) && /[0-9]/.test(p) && /[^A-Za-z0-9]/.test(p);
}

type BindKind = 'none' | 'agent' | 'skillGroup';

/** Binding editor: none / an agent (searched by name or staff number) / a skill group. */
function BindingEditor({ kind, setKind, agentId, setAgentId, groupId, setGroupId, groups, current }: {
  kind: BindKind; setKind: (k: BindKind) => void;
  agentId: number | ''; setAgentId: (id: number | '') => void;
  groupId: number | ''; setGroupId: (id: number | '') => void;
  groups: SkillGroup[];
  current: Phone['binding'];
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [agents, setAgents] = useState<Agent[] | null>(null);

  useEffect(() => {
    if (kind !== 'agent') return;
    let live = true;
    const term = q.trim();
    const query = /^\d+$/.test(term) ? { staffNo: term } : { name: term };
    const timer = window.setTimeout(() => {
      directoryApi.agents({ ...query, pageSize: 50 })
        .then((p) => live && setAgents(p.items))
        .catch(() => live && setAgents([]));
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [kind, q]);

  const agentOptions = [...(agents ?? [])];
  if (current?.kind === 'agent' && !agentOptions.some((a) => a.id === current.id)) {
    agentOptions.unshift({ id: current.id, name: current.name, staffNo: current.staffNo ?? '' } as Agent);
  }

  return (
    <div className="binding-editor">
      <div className="radios">
        {(['none', 'agent', 'skillGroup'] as const).map((k) => (
          <label key={k} className="check-inline">
            <input type="radio" name="bindKind" checked={kind === k} onChange={() => setKind(k)} data-testid={`phone-bind-kind-${k}`} />
            {t(`phone.bind.${k}`)}
          </label>
        ))}
      </div>
      {kind === 'agent' && (
        <div className="binding-pick">
          <input placeholder={t('phone.bind.searchAgent')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="phone-bind-agent-search" />
          <select value={agentId} onChange={(e) => setAgentId(e.target.value ? Number(e.target.value) : '')} data-testid="phone-bind-agent">
            <option value="">{agents === null ? t('common.loading') : t('phone.bind.chooseAgent')}</option>
            {agentOptions.map((a) => <option key={a.id} value={a.id}>{a.name}（{a.staffNo}）</option>)}
          </select>
        </div>
      )}
      {kind === 'skillGroup' && (
        <select value={groupId} onChange={(e) => setGroupId(e.target.value ? Number(e.target.value) : '')} data-testid="phone-bind-group">
          <option value="">{t('phone.bind.chooseGroup')}</option>
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          {current?.kind === 'skillGroup' && !groups.some((g) => g.id === current.id) && (
            <option value={current.id}>{current.name}</option>
          )}
        </select>
      )}
    </div>
  );
}

function useBinding(current: Phone['binding']) {
  const [kind, setKind] = useState<BindKind>(current?.kind ?? 'none');
  const [agentId, setAgentId] = useState<number | ''>(current?.kind === 'agent' ? current.id : '');
  const [groupId, setGroupId] = useState<number | ''>(current?.kind === 'skillGroup' ? current.id : '');
  const value = (): BindingInput | 'missing' => {
    if (kind === 'agent') return agentId === '' ? 'missing' : { kind, id: agentId };
    if (kind === 'skillGroup') return groupId === '' ? 'missing' : { kind, id: groupId };
    return { kind: 'none' };
  };
  return { kind, setKind, agentId, setAgentId, groupId, setGroupId, value };
}

const FIELDS = ['extension', 'name', 'password', 'binding', 'binding.id'] as const;

export function PhoneDialog({ phone, groups, onClose, onSaved }: {
  phone: Phone | null; groups: SkillGroup[]; onClose: () => void; onSaved: (p: Phone, created: boolean) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [extension, setExtension] = useState(phone?.extension ?? '');
  const [name, setName] = useState(phone?.name ?? '');
  const [password, setPassword] = useState('');
  const b = useBinding(phone?.binding ?? null);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ext = extension.trim();
    if (!EXTENSION_RE.test(ext)) return setErr({ field: 'extension', message: t('phone.extensionRule') });
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    if (!phone && password && !strongPassword(password)) return setErr({ field: 'password', message: t('phone.passwordRule') });
    const binding = b.value();
    if (binding === 'missing') return setErr({ field: 'binding', message: t('phone.bind.missing') });
    setBusy(true);
    setErr(null);
    try {
      let saved: Phone;
      if (phone) {
        saved = await phonesApi.updatePhone(phone.id, { extension: ext, name: name.trim(), binding });
        toast.success(t('phone.updated'));
      } else {
        saved = await phonesApi.createPhone({ extension: ext, name: name.trim(), ...(password ? { password } : {}), binding });
        toast.success(t('phone.created'));
      }
      onSaved(saved, !phone);
    } catch (x) {
      const f = fieldError(x, t, FIELDS);
      setErr(f.field === 'binding.id' ? { ...f, field: 'binding' } : f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={phone ? t('phone.edit') : t('phone.add')} onClose={onClose} testId="phone-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="phone-dialog-error" />
        <Field label={t('phone.extension')} name="extension" error={fe('extension')} htmlFor="phone-extension"
          hint={phone ? t('phone.extensionChangeHint') : t('phone.extensionRule')}>
          <input id="phone-extension" inputMode="numeric" maxLength={6} value={extension} className="input-narrow"
            onChange={(e) => setExtension(e.target.value)} data-testid="phone-field-extension" />
        </Field>
        <Field label={t('phone.name')} name="name" error={fe('name')} htmlFor="phone-name">
          <input id="phone-name" maxLength={32} value={name} onChange={(e) => setName(e.target.value)} data-testid="phone-field-name" />
        </Field>
        {!phone && (
          <Field label={t('phone.password')} name="password" optional error={fe('password')} htmlFor="phone-password"
            hint={t('phone.passwordHint')}>
            <input id="phone-password" type="text" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)}
              data-testid="phone-field-password" />
          </Field>
        )}
        <Field label={t('phone.binding')} name="binding" error={fe('binding')}>
          <BindingEditor {...b} groups={groups} current={phone?.binding ?? null} />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="phone-dialog-cancel">{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="phone-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

export function BindDialog({ phone, groups, onClose, onSaved }: {
  phone: Phone; groups: SkillGroup[]; onClose: () => void; onSaved: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const b = useBinding(phone.binding);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const binding = b.value();
    if (binding === 'missing') return setErr({ field: 'binding', message: t('phone.bind.missing') });
    setBusy(true);
    try {
      await phonesApi.bindPhone(phone.id, binding);
      toast.success(t('phone.bind.done'));
      onSaved();
    } catch (x) {
      const f = fieldError(x, t, FIELDS);
      setErr(f.field ? { ...f, field: 'binding' } : f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('phone.bind.title', { extension: phone.extension })} onClose={onClose} testId="phone-bind-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="phone-bind-error" />
        <p className="muted">{t('phone.bind.hint')}</p>
        <Field label={t('phone.binding')} name="binding" error={err?.field ? err.message : undefined}>
          <BindingEditor {...b} groups={groups} current={phone.binding} />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="phone-bind-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

/** 重置密码: generate one (default) or type one; the new password is shown once saved. */
export function ResetPasswordDialog({ phone, onClose, onDone }: { phone: Phone; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [manual, setManual] = useState(false);
  const [password, setPassword] = useState('');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Phone | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (manual && !strongPassword(password)) return setErr({ field: 'password', message: t('phone.passwordRule') });
    setBusy(true);
    try {
      const p = await phonesApi.resetPhonePassword(phone.id, manual ? password : undefined);
      setResult(p);
      onDone();
    } catch (x) {
      setErr(fieldError(x, t, ['password']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('phone.resetTitle', { extension: phone.extension })} onClose={onClose} testId="phone-reset-dialog">
      {result ? (
        <div className="form">
          <div className="banner banner-ok" data-testid="phone-reset-done">{t('phone.resetDone')}</div>
          <Field label={t('phone.password')} name="newPassword">
            <Secret value={result.password} testId="phone-reset-password" />
          </Field>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={onClose} data-testid="phone-reset-close">{t('common.close')}</button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <FormError message={err && !err.field ? err.message : undefined} testId="phone-reset-error" />
          <p className="muted">{t('phone.resetWarn')}</p>
          <div className="radios">
            <label className="check-inline">
              <input type="radio" name="resetMode" checked={!manual} onChange={() => setManual(false)} data-testid="phone-reset-generate" />
              {t('phone.resetGenerate')}
            </label>
            <label className="check-inline">
              <input type="radio" name="resetMode" checked={manual} onChange={() => setManual(true)} data-testid="phone-reset-manual" />
              {t('phone.resetManual')}
            </label>
          </div>
          {manual && (
            <Field label={t('phone.password')} name="password" error={err?.field === 'password' ? err.message : undefined}
              hint={t('phone.passwordRule')} htmlFor="phone-reset-pwd">
              <input id="phone-reset-pwd" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)}
                data-testid="phone-reset-field-password" />
            </Field>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
            <button type="submit" className="btn btn-danger" disabled={busy} data-testid="phone-reset-submit">{t('phone.resetPassword')}</button>
          </div>
        </form>
      )}
    </Modal>
  );
}
