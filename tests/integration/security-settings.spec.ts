import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { securitySettings, updateSecuritySettings, SettingsError } from '../../src/lib/server/services/security-settings';

const actor = { userId: null, name: 'secadmin' };

describe('security settings in the database', () => {
	afterEach(() => {
		delete process.env.SESSION_IDLE_MINUTES;
	});

	it('reads the defaults, then stored changes, and audits each change', () => {
		const db = memoryDb();
		expect(securitySettings(db).sessionIdleMinutes).toBe(30);
		process.env.SESSION_IDLE_MINUTES = '1';
		expect(securitySettings(db).sessionIdleMinutes).toBe(1);
		const after = updateSecuritySettings(db, actor, { sessionIdleMinutes: '20', passwordMaxAgeDays: '60' });
		expect(after.sessionIdleMinutes).toBe(20);
		expect(after.passwordMaxAgeDays).toBe(60);
		const entries = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'settings.update')).all();
		expect(entries).toHaveLength(1);
		expect(JSON.parse(entries[0].detail!)).toEqual({ sessionIdleMinutes: { from: 1, to: 20 }, passwordMaxAgeDays: { from: 90, to: 60 } });
	});

	it('refuses a value out of bounds, naming the field, and writes nothing', () => {
		const db = memoryDb();
		expect(() => updateSecuritySettings(db, actor, { sessionIdleMinutes: '20', passwordHistory: '2' })).toThrow(SettingsError);
		try {
			updateSecuritySettings(db, actor, { passwordHistory: '2' });
		} catch (e) {
			expect((e as SettingsError).field).toBe('passwordHistory');
			expect((e as SettingsError).message).toContain('不得重复使用的历史密码个数');
		}
		expect(db.select().from(s.settings).all()).toHaveLength(0);
		expect(db.select().from(s.auditLog).all()).toHaveLength(0);
	});
});
