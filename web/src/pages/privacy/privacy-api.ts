// 号码隐私保护 settings API (GET/PUT /api/v1/settings/privacy); the endpoint's secret is write-only.
import { wbRequest } from '../../workbench/wb-api';

export type PrivacyMode = 'off' | 'mask' | 'uid';
export type EndpointAuth = { kind: 'basic'; username: string } | { kind: 'oauth2'; tokenUrl: string; clientId: string; scope: string | null };
export interface MappingEndpoint { url: string; auth: EndpointAuth; caCertPem: string | null; timeoutMs: number; cacheTtlMs: number }
export interface PrivacySettings { mode: PrivacyMode; endpoint: MappingEndpoint | null; secretSet: boolean }
export interface PrivacyInput { mode: PrivacyMode; endpoint?: MappingEndpoint | null; secret?: string }

export const privacyApi = {
  get: () => wbRequest<PrivacySettings>('GET', '/settings/privacy'),
  put: (p: PrivacyInput) => wbRequest<PrivacySettings>('PUT', '/settings/privacy', p),
};
