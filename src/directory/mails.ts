// Texts of the mails the directory sends (Chinese first, English below, as the console is).
import type { Agent, NewAgent } from './directory-types.ts';

export function newAgentMail(agent: NewAgent, password: string): { to: string; subject: string; text: string } {
  return {
    to: agent.email,
    subject: 'ccbox 客服账号已创建 / Your ccbox agent account',
    text: [
      `${agent.name}，您好：`,
      '',
      '您的客服账号已创建。',
      `登录名：${agent.email}（或工号 ${agent.staffNo}）`,
      `初始密码：${password}`,
      '请登录后尽快修改密码。',
      '',
      `Hello ${agent.name},`,
      `your agent account was created. Log in with ${agent.email} (or staff number ${agent.staffNo})`,
      `and the password: ${password}`,
      'Please change it after your first login.',
    ].join('\n'),
  };
}

export function resetMail(agent: Agent, password: string): { to: string; subject: string; text: string } {
  return {
    to: agent.email,
    subject: 'ccbox 密码已重置 / Your ccbox password was reset',
    text: [
      `${agent.name}，您好：`,
      '',
      '管理员已重置您的密码，原密码已失效。',
      `新密码：${password}`,
      '',
      `Hello ${agent.name},`,
      'an administrator reset your password; the old one no longer works.',
      `New password: ${password}`,
    ].join('\n'),
  };
}
