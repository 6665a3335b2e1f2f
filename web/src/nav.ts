// The console's left navigation, in the manual's order. A leaf without a path is not built yet
// (shown greyed, "coming soon"); a leaf whose permission the user lacks is hidden.
import type { PermissionKey } from './api-auth';
import type { MessageKey } from './i18n';

export interface NavLeaf { id: string; label: MessageKey; perm: PermissionKey; path?: string }
export interface NavGroup { id: string; label: MessageKey; children: NavLeaf[] }
export type NavItem = NavLeaf | NavGroup;

export const NAV: NavItem[] = [
  { id: 'overview', label: 'nav.overview', perm: 'overview', path: '/overview' },
  { id: 'workbench', label: 'nav.workbench', perm: 'workbench', path: '/workbench' },
  { id: 'analytics', label: 'nav.analytics', perm: 'analytics' },
  { id: 'records', label: 'nav.records', perm: 'records', path: '/records' },
  { id: 'monitor', label: 'nav.monitor', perm: 'monitor', path: '/monitor' },
  {
    id: 'phone', label: 'nav.phone', children: [
      { id: 'ivr', label: 'nav.ivr', perm: 'ivr', path: '/ivr' },
      { id: 'numbers', label: 'nav.numbers', perm: 'numbers', path: '/numbers' },
      { id: 'phones', label: 'nav.phones', perm: 'phones', path: '/phones' },
      { id: 'channels', label: 'nav.channels', perm: 'channels', path: '/channels' },
    ],
  },
  {
    id: 'settings', label: 'nav.settings', children: [
      { id: 'status', label: 'nav.status', perm: 'settings', path: '/settings/status' },
      { id: 'smtp', label: 'nav.smtp', perm: 'settings', path: '/settings/smtp' },
      { id: 'sip-security', label: 'nav.sipSecurity', perm: 'settings', path: '/settings/sip' },
      { id: 'screen-pop', label: 'nav.screenPop', perm: 'settings', path: '/settings/screen-pop' },
      { id: 'privacy', label: 'nav.privacy', perm: 'settings', path: '/settings/privacy' },
      { id: 'cs-blacklist', label: 'nav.csBlacklist', perm: 'settings', path: '/settings/blacklist' },
    ],
  },
  {
    id: 'call-settings', label: 'nav.callSettings', children: [
      { id: 'cs-answer', label: 'nav.csAnswer', perm: 'skillGroups', path: '/call-settings/answer' },
      { id: 'cs-outbound', label: 'nav.csOutbound', perm: 'settings', path: '/call-settings/outbound' },
      { id: 'cs-numbers', label: 'nav.csNumbers', perm: 'settings', path: '/call-settings/numbers' },
      { id: 'cs-hold', label: 'nav.csHold', perm: 'settings', path: '/call-settings/hold-music' },
      { id: 'cs-digits', label: 'nav.csDigits', perm: 'settings', path: '/call-settings/digit-collection' },
      { id: 'cs-self-service', label: 'nav.csSelfService', perm: 'settings', path: '/call-settings/self-service' },
    ],
  },
  {
    id: 'agent-admin', label: 'nav.agentAdmin', children: [
      { id: 'agents', label: 'nav.agents', perm: 'agents', path: '/agents' },
      { id: 'roles', label: 'nav.roles', perm: 'roles', path: '/roles' },
      { id: 'skill-groups', label: 'nav.skillGroups', perm: 'skillGroups', path: '/skill-groups' },
    ],
  },
];

export const isGroup = (n: NavItem): n is NavGroup => 'children' in n;

export function leaves(): { leaf: NavLeaf; group?: NavGroup }[] {
  return NAV.flatMap((n) => (isGroup(n) ? n.children.map((leaf) => ({ leaf, group: n })) : [{ leaf: n }]));
}

/** The visible navigation for a set of permissions (empty groups dropped). */
export function visibleNav(can: (p: string) => boolean): NavItem[] {
  return NAV.flatMap<NavItem>((n) => {
    if (!isGroup(n)) return can(n.perm) ? [n] : [];
    const children = n.children.filter((c) => can(c.perm));
    return children.length ? [{ ...n, children }] : [];
  });
}

/** The leaf a path belongs to: its own path, or a sub-path of it (e.g. /ivr/flows/3). */
export function leafFor(path: string): { leaf: NavLeaf; group?: NavGroup } | undefined {
  return leaves().find(({ leaf }) => leaf.path && (path === leaf.path || path.startsWith(`${leaf.path}/`)));
}

/** Where to land after login: the first built page the user may open. */
export function homePath(can: (p: string) => boolean): string | null {
  return leaves().find(({ leaf }) => leaf.path && can(leaf.perm))?.leaf.path ?? null;
}
