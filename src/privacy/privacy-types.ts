// 号码隐私保护 settings and their input schema: off, 掩码保护 (189****8352 to agents), or 真实号码映射为用户 ID
// (the site's HTTPS endpoint maps numbers to user IDs and back, with BasicAuth or OAuth2 client credentials).
import { z } from 'zod';

export type PrivacyMode = 'off' | 'mask' | 'uid';

export type EndpointAuth =
  | { kind: 'basic'; username: string }
  | { kind: 'oauth2'; tokenUrl: string; clientId: string; scope: string | null };

export interface MappingEndpoint {
  url: string;
  auth: EndpointAuth;
  /** PEM of a private CA the endpoint's certificate is issued by (on-prem systems); null = the system's CAs. */
  caCertPem: string | null;
  timeoutMs: number;
  cacheTtlMs: number;
}

/** What is stored: the endpoint's secret (password or client secret) sealed with the box key. */
export interface StoredPrivacy {
  mode: PrivacyMode;
  endpoint: MappingEndpoint | null;
  sealedSecret: string | null;
}

/** What the API returns: never the secret, only whether one is set. */
export interface PrivacyView {
  mode: PrivacyMode;
  endpoint: MappingEndpoint | null;
  secretSet: boolean;
}

const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      return new URL(u).protocol === 'https:';
    } catch {
      return false;
    }
  }, '只支持 HTTPS 地址 (an https:// URL is required)');

const auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('basic'), username: z.string().trim().min(1, '不能为空 (required)').max(200) }).strict(),
  z.object({
    kind: z.literal('oauth2'), tokenUrl: httpsUrl, clientId: z.string().trim().min(1, '不能为空 (required)').max(200),
    scope: z.string().trim().max(500).nullable().optional(),
  }).strict(),
]);

export const privacyInputSchema = z
  .object({
    mode: z.enum(['off', 'mask', 'uid']),
    endpoint: z
      .object({
        url: httpsUrl,
        auth,
        caCertPem: z.string().max(20_000).regex(/^\s*$|-----BEGIN CERTIFICATE-----/, 'PEM 证书 (a PEM certificate)').nullable().optional(),
        timeoutMs: z.number().int().min(200).max(30_000).default(3_000),
        cacheTtlMs: z.number().int().min(0).max(3_600_000).default(60_000),
      })
      .strict()
      .nullable()
      .optional(),
    /** The password (basic) or client secret (oauth2); absent keeps the stored one, '' clears it. */
    secret: z.string().max(1000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.mode === 'uid' && !v.endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: '映射为用户 ID 需要配置接口地址 (the mapping endpoint is required)' });
  });
export type PrivacyInput = z.infer<typeof privacyInputSchema>;
