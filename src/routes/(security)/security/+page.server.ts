import { fail } from '@sveltejs/kit';
import * as z from 'zod';
import { actorOf, requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { SettingsError, securitySettings, updateSecuritySettings } from '$lib/server/services/security-settings';
import { currentLockouts, liftLockout } from '$lib/server/services/lockouts';
import { SECURITY_SETTING_KEYS } from '$lib/domain/security-settings';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requirePermission(event, 'security.settings');
	const db = getDb();
	return { settings: securitySettings(db), lockouts: currentLockouts(db) };
}) satisfies PageServerLoad;

const unlockSchema = z.object({
	username: z.string().min(1, { message: '缺少用户名' }).max(200, { message: '用户名过长' }),
	address: z.string().min(1, { message: '缺少客户端地址' }).max(100, { message: '客户端地址过长' })
});

export const actions = {
	save: async (event) => {
		const user = requirePermission(event, 'security.settings');
		const form = await event.request.formData();
		const raw: Record<string, string> = {};
		for (const key of SECURITY_SETTING_KEYS) {
			const v = form.get(key);
			if (typeof v === 'string') raw[key] = v;
		}
		try {
			const before = securitySettings(getDb());
			const after = updateSecuritySettings(getDb(), actorOf(user), raw);
			const changed = SECURITY_SETTING_KEYS.filter((k) => before[k] !== after[k]).length;
			return { saved: changed };
		} catch (e) {
			if (e instanceof SettingsError) return fail(400, { errors: { [e.field]: e.message }, values: raw });
			throw e;
		}
	},
	unlock: async (event) => {
		const user = requirePermission(event, 'security.settings');
		const form = await event.request.formData();
		const parsed = unlockSchema.safeParse({ username: form.get('username') ?? '', address: form.get('address') ?? '' });
		if (!parsed.success) return fail(400, { unlockError: parsed.error.issues[0].message });
		const lifted = liftLockout(getDb(), actorOf(user), parsed.data.username, parsed.data.address);
		if (!lifted) return fail(404, { unlockError: '该锁定已不存在（可能已到期或已解除）' });
		return { unlocked: parsed.data.username };
	}
} satisfies Actions;
