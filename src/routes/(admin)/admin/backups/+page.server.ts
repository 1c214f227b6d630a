import { fail } from '@sveltejs/kit';
import { actorOf, requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { BackupError, backupDir, listBackups, runBackup } from '$lib/server/services/backups';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requirePermission(event, 'backup.run');
	const dir = backupDir(getDb());
	return { dir, backups: listBackups(dir) };
}) satisfies PageServerLoad;

export const actions = {
	run: async (event) => {
		const user = requirePermission(event, 'backup.run');
		try {
			const { name, summary } = await runBackup(getDb(), actorOf(user));
			return { made: { name, bytes: summary.bytes, schemaVersion: summary.schemaVersion, auditIntact: summary.auditIntact } };
		} catch (e) {
			if (e instanceof BackupError) return fail(400, { message: `备份失败：${e.message}` });
			throw e;
		}
	}
} satisfies Actions;
