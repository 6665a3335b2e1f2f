// Add / edit agent dialog; the server's field errors (error.field) appear beside the field.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { directoryApi, type Agent, type AgentPatch, type Role, type SkillGroup } from '../api-directory';
import { useAuth } from '../auth';
import { CheckList, Switch } from '../components/CheckList';
import { Field, FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { fieldError } from '../hooks';
import { useI18n } from '../i18n';
import { Link } from '../router';

const FIELDS = ['name', 'nickname', 'staffNo', 'email', 'roleId', 'mobile', 'skillGroupIds'] as const;
type FieldName = (typeof FIELDS)[number];

interface Props {
  agent: Agent | null;
  roles: Role[];
  groups: SkillGroup[];
  onClose: () => void;
  onSaved: () => void;
}

export function AgentDialog({ agent, roles, groups, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { can } = useAuth();
  const toast = useToast();
  const [form, setForm] = useState({
    name: agent?.name ?? '',
    nickname: agent?.nickname ?? '',
    staffNo: agent?.staffNo ?? '',
    email: agent?.email ?? '',
    roleId: agent ? String(agent.roleId) : '',
    mobile: agent?.mobile ?? '',
  });
  const [groupIds, setGroupIds] = useState<number[]>(agent?.skillGroups.map((g) => g.id) ?? []);
  const [mobileAnswer, setMobileAnswer] = useState(agent?.mobileAnswer ?? { enabled: false, outbound: false });
  const [err, setErr] = useState<{ field?: string; message: string; code?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const fe = (f: FieldName) => (err?.field === f ? err.message : undefined);

  // The agent's current role stays selectable even if this user may not list roles.
  const roleOptions = agent && !roles.some((r) => r.id === agent.roleId)
    ? [{ id: agent.roleId, name: agent.roleName }, ...roles]
    : roles;
  // Likewise for groups outside what GET /skill-groups returned.
  const groupOptions = [
    ...groups.map((g) => ({ value: g.id, label: g.name })),
    ...(agent?.skillGroups ?? []).filter((g) => !groups.some((x) => x.id === g.id)).map((g) => ({ value: g.id, label: g.name })),
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const required: FieldName[] = agent ? ['name', 'nickname', 'roleId'] : ['name', 'nickname', 'staffNo', 'email', 'roleId'];
    const missing = required.find((k) => !String(form[k as keyof typeof form]).trim());
    if (missing) return setErr({ field: missing, message: t('error.required') });
    setBusy(true);
    setErr(null);
    try {
      const mobile = form.mobile.trim();
      if (agent) {
        const patch: AgentPatch = {
          name: form.name.trim(),
          nickname: form.nickname.trim(),
          roleId: Number(form.roleId),
          skillGroupIds: groupIds,
          mobileAnswer,
        };
        if (mobile) patch.mobile = mobile;
        else if (agent.mobile) patch.mobile = null;
        await directoryApi.updateAgent(agent.id, patch);
        toast.success(t('agent.updated'));
      } else {
        await directoryApi.createAgent({
          name: form.name.trim(),
          nickname: form.nickname.trim(),
          staffNo: form.staffNo.trim(),
          email: form.email.trim(),
          roleId: Number(form.roleId),
          ...(mobile ? { mobile } : {}),
          skillGroupIds: groupIds,
        });
        toast.success(t('agent.created'));
      }
      onSaved();
    } catch (x) {
      setErr({ ...fieldError(x, t, FIELDS), code: x instanceof ApiError ? x.code : undefined });
    } finally {
      setBusy(false);
    }
  };

  const text = (k: 'name' | 'nickname' | 'staffNo' | 'email' | 'mobile', opts: { readOnly?: boolean; type?: string } = {}) => (
    <input
      id={`agent-${k}`}
      type={opts.type ?? 'text'}
      value={form[k]}
      readOnly={opts.readOnly}
      disabled={opts.readOnly}
      onChange={(e) => set(k)(e.target.value)}
      aria-invalid={!!fe(k)}
      data-testid={`agent-field-${k}`}
    />
  );

  return (
    <Modal title={agent ? t('agent.edit') : t('agent.add')} onClose={onClose} testId="agent-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="agent-dialog-error" />
        {err?.code === 'CCBOX_ERR_SMTP_NOT_CONFIGURED' && can('settings') && (
          <p className="form-note"><Link to="/settings/smtp">{t('nav.smtp')} →</Link></p>
        )}
        <Field label={t('agent.name')} name="name" error={fe('name')} htmlFor="agent-name">{text('name')}</Field>
        <Field label={t('agent.nickname')} name="nickname" error={fe('nickname')} htmlFor="agent-nickname">{text('nickname')}</Field>
        <Field label={t('agent.staffNo')} name="staffNo" error={fe('staffNo')} htmlFor="agent-staffNo"
          hint={agent ? t('agent.readonlyHint') : undefined}>
          {text('staffNo', { readOnly: !!agent })}
        </Field>
        <Field label={t('agent.email')} name="email" error={fe('email')} htmlFor="agent-email"
          hint={agent ? t('agent.readonlyHint') : t('agent.passwordMailed')}>
          {text('email', { readOnly: !!agent, type: 'email' })}
        </Field>
        <Field label={t('agent.role')} name="roleId" error={fe('roleId')} htmlFor="agent-roleId">
          <select id="agent-roleId" value={form.roleId} onChange={(e) => set('roleId')(e.target.value)} data-testid="agent-field-role">
            <option value="">{t('agent.selectRole')}</option>
            {roleOptions.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </select>
        </Field>
        <Field label={t('agent.mobile')} name="mobile" optional error={fe('mobile')} htmlFor="agent-mobile">
          {text('mobile', { type: 'tel' })}
        </Field>
        <Field label={t('agent.skillGroups')} name="skillGroupIds" optional error={fe('skillGroupIds')}>
          <CheckList options={groupOptions} value={groupIds} onChange={setGroupIds}
            testId="agent-field-skillGroups" empty={t('agent.noGroups')} />
        </Field>
        {agent && (
          <Field label={t('agent.mobileAnswer')} name="mobileAnswer">
            <div className="inline-checks">
              <div className="check-inline">
                <Switch checked={mobileAnswer.enabled} label={t('agent.mobileAnswerEnabled')} testId="agent-field-mobileAnswer"
                  onChange={(v) => setMobileAnswer({ enabled: v, outbound: v && mobileAnswer.outbound })} />
                <span>{t('agent.mobileAnswerEnabled')}</span>
              </div>
              <label className="check-inline">
                <input type="checkbox" checked={mobileAnswer.outbound} disabled={!mobileAnswer.enabled}
                  onChange={(e) => setMobileAnswer({ ...mobileAnswer, outbound: e.target.checked })}
                  data-testid="agent-field-mobileOutbound" />
                {t('agent.mobileAnswerOutbound')}
              </label>
            </div>
          </Field>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="agent-dialog-cancel">{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="agent-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
