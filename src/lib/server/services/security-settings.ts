/**
 * The security administrator's settings, stored in `settings` (key → JSON) over the defaults of
 * `domain/security-settings.ts` (and SESSION_IDLE_MINUTES / SESSION_MAX_HOURS from the environment).
 * Every change is one transaction with its audit entry.
 */
import { Refusal } from '../refusal';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { currentSecuritySettings } from '../auth';
import { securitySettingsUpdateSchema, type SecuritySettings } from '../../domain/security-settings';

export class SettingsError extends Refusal {
	constructor(field: string, message: string) {
		super(message, 400, { [field]: message });
	}
	/** The field it names (always one). */
	override get field(): string {
		return Object.keys(this.errors)[0];
	}
}

type Q = Pick<Db, 'select'>;

/** The settings in force: stored values over the environment over the defaults (the same read as every request's). */
export function securitySettings(db: Q): SecuritySettings {
	return currentSecuritySettings(db);
}

/** Validates and stores a partial update; refused with the field named when a value is out of bounds. */
export function updateSecuritySettings(db: Db, actor: Actor, raw: Record<string, unknown>): SecuritySettings {
	const parsed = securitySettingsUpdateSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = String(issue.path[0] ?? '');
		throw new SettingsError(field, issue.code === 'unrecognized_keys' ? `未知的设置项：${issue.keys.join('，')}` : issue.message);
	}
	return db.transaction((tx) => {
		const before = securitySettings(tx);
		const changed: Record<string, { from: number; to: number }> = {};
		for (const [key, value] of Object.entries(parsed.data)) {
			if (value === undefined) continue;
			const k = key as keyof SecuritySettings;
			if (before[k] !== value) changed[k] = { from: before[k], to: value };
			tx.insert(s.settings)
				.values({ key, value, userId: actor.userId })
				.onConflictDoUpdate({ target: s.settings.key, set: { value, userId: actor.userId, updatedAt: new Date().toISOString() } })
				.run();
		}
		if (Object.keys(changed).length) audit(tx, actor, 'settings.update', 'settings', 'security', changed);
		return securitySettings(tx);
	});
}
