import { describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY_SETTINGS, resolveSecuritySettings, securitySettingsUpdateSchema } from './security-settings';

describe('security settings', () => {
	it('defaults: 30 min idle, 12 h cap, 5 failures, 15 min lock, 10 chars, 90 days, last 5', () => {
		expect(resolveSecuritySettings({})).toEqual({
			sessionIdleMinutes: 30,
			sessionMaxHours: 12,
			maxFailedLogins: 5,
			lockoutMinutes: 15,
			passwordMinLength: 10,
			passwordMaxAgeDays: 90,
			passwordHistory: 5
		});
	});

	it('honours SESSION_IDLE_MINUTES from 1 up and ignores nonsense', () => {
		expect(resolveSecuritySettings({}, { SESSION_IDLE_MINUTES: '1' }).sessionIdleMinutes).toBe(1);
		expect(resolveSecuritySettings({}, { SESSION_IDLE_MINUTES: '2000' }).sessionIdleMinutes).toBe(2000);
		expect(resolveSecuritySettings({}, { SESSION_IDLE_MINUTES: '0' }).sessionIdleMinutes).toBe(30);
		expect(resolveSecuritySettings({}, { SESSION_IDLE_MINUTES: 'abc' }).sessionIdleMinutes).toBe(30);
		expect(resolveSecuritySettings({}, { SESSION_MAX_HOURS: '2' }).sessionMaxHours).toBe(2);
	});

	it('stored values win over the environment; out-of-bounds stored values are ignored', () => {
		expect(resolveSecuritySettings({ sessionIdleMinutes: 10 }, { SESSION_IDLE_MINUTES: '1' }).sessionIdleMinutes).toBe(10);
		expect(resolveSecuritySettings({ passwordMinLength: 6 }).passwordMinLength).toBe(10);
		expect(resolveSecuritySettings({ passwordHistory: 'x' }).passwordHistory).toBe(5);
	});

	it('parses a form: full-width digits, bounds with the field named in Chinese, unknown keys refused', () => {
		expect(securitySettingsUpdateSchema.parse({ sessionIdleMinutes: '１５', passwordMaxAgeDays: ' 0 ' })).toEqual({
			sessionIdleMinutes: 15,
			passwordMaxAgeDays: 0
		});
		const low = securitySettingsUpdateSchema.safeParse({ passwordMinLength: '8' });
		expect(low.success).toBe(false);
		expect(low.error!.issues[0].message).toBe('“密码最短长度”不能小于 10');
		const word = securitySettingsUpdateSchema.safeParse({ lockoutMinutes: '十五' });
		expect(word.error!.issues[0].message).toContain('锁定时长（分钟）');
		expect(securitySettingsUpdateSchema.safeParse({ other: 1 }).success).toBe(false);
		expect(DEFAULT_SECURITY_SETTINGS.passwordHistory).toBe(5);
	});
});
