/**
 * The settings the security administrator (安全管理员) changes: session timeouts, lockout and
 * password rules (GB/T 22239-2019 8.1.4.1). Pure: defaults, bounds and the Chinese messages.
 * The server keeps changed values in the `settings` table (`services/security-settings.ts`).
 */
import * as z from 'zod';

export type SecuritySettings = {
	/** A session unused this long ends. */
	sessionIdleMinutes: number;
	/** A session ends this long after sign-in, used or not. */
	sessionMaxHours: number;
	/** Failed sign-ins of one (account, client address) before that pair is locked. */
	maxFailedLogins: number;
	/** How long such a lock lasts. */
	lockoutMinutes: number;
	/** Minimum password length (never below 10). */
	passwordMinLength: number;
	/** A password older than this must be changed before any other page opens (0: never expires). */
	passwordMaxAgeDays: number;
	/** A new password may not be one of the account's last N. */
	passwordHistory: number;
};

export const SECURITY_SETTING_KEYS = [
	'sessionIdleMinutes',
	'sessionMaxHours',
	'maxFailedLogins',
	'lockoutMinutes',
	'passwordMinLength',
	'passwordMaxAgeDays',
	'passwordHistory'
] as const satisfies readonly (keyof SecuritySettings)[];

export const SECURITY_SETTING_LABELS: Record<keyof SecuritySettings, string> = {
	sessionIdleMinutes: '会话空闲超时（分钟）',
	sessionMaxHours: '会话最长有效期（小时）',
	maxFailedLogins: '连续登录失败锁定次数',
	lockoutMinutes: '锁定时长（分钟）',
	passwordMinLength: '密码最短长度',
	passwordMaxAgeDays: '密码有效期（天，0 为不过期）',
	passwordHistory: '不得重复使用的历史密码个数'
};

/** Bounds of each setting: [min, max]. */
export const SECURITY_SETTING_BOUNDS: Record<keyof SecuritySettings, readonly [number, number]> = {
	sessionIdleMinutes: [1, 24 * 60],
	sessionMaxHours: [1, 72],
	maxFailedLogins: [3, 20],
	lockoutMinutes: [1, 24 * 60],
	passwordMinLength: [10, 64],
	passwordMaxAgeDays: [0, 365],
	passwordHistory: [5, 24]
};

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
	sessionIdleMinutes: 30,
	sessionMaxHours: 12,
	maxFailedLogins: 5,
	lockoutMinutes: 15,
	passwordMinLength: 10,
	passwordMaxAgeDays: 90,
	passwordHistory: 5
};

/** One setting as typed: an integer within its bounds (full-width digits and spaces accepted). */
function settingSchema(key: keyof SecuritySettings) {
	const [min, max] = SECURITY_SETTING_BOUNDS[key];
	const label = SECURITY_SETTING_LABELS[key];
	return z.preprocess(
		(v) => {
			if (typeof v !== 'string') return v;
			const t = v.normalize('NFKC').trim();
			return /^\d+$/.test(t) ? Number(t) : t;
		},
		z
			.number({ message: `“${label}”应为整数` })
			.int({ message: `“${label}”应为整数` })
			.min(min, { message: `“${label}”不能小于 ${min}` })
			.max(max, { message: `“${label}”不能大于 ${max}` })
	);
}

/** A partial update of the settings (from the security administrator's form or the command line). */
export const securitySettingsUpdateSchema = z
	.object(Object.fromEntries(SECURITY_SETTING_KEYS.map((k) => [k, settingSchema(k).optional()])) as {
		[K in keyof SecuritySettings]: z.ZodOptional<ReturnType<typeof settingSchema>>;
	})
	.strict();

/**
 * The defaults, with `SESSION_IDLE_MINUTES` / `SESSION_MAX_HOURS` from the environment when set
 * (any whole number from 1 up is honoured, so tests can use 1), then the stored values on top.
 */
export function resolveSecuritySettings(
	stored: Partial<Record<string, unknown>>,
	env: Record<string, string | undefined> = {}
): SecuritySettings {
	const out = { ...DEFAULT_SECURITY_SETTINGS };
	const fromEnv = (name: string): number | null => {
		const v = env[name]?.trim();
		if (!v || !/^\d+$/.test(v)) return null;
		const n = Number(v);
		return n >= 1 ? n : null;
	};
	const idle = fromEnv('SESSION_IDLE_MINUTES');
	if (idle !== null) out.sessionIdleMinutes = idle;
	const cap = fromEnv('SESSION_MAX_HOURS');
	if (cap !== null) out.sessionMaxHours = cap;
	for (const key of SECURITY_SETTING_KEYS) {
		const v = stored[key];
		if (typeof v !== 'number' || !Number.isInteger(v)) continue;
		const [min, max] = SECURITY_SETTING_BOUNDS[key];
		if (v >= min && v <= max) out[key] = v;
	}
	return out;
}
