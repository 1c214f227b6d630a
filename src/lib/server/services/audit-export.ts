/**
 * The audit log download for the office, the observer and the audit administrator
 * (`…/audit/export?format=csv|xlsx&action=&actor=`).
 * The download itself is recorded in the log (who took a copy, in which format, how many entries).
 */
import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { audit, type Actor } from '../audit';
import { auditDownload, type AuditExportFormat } from '../export/audit';

/** `expertNames: false` (the observer) keeps experts as ids in the Excel 说明 column. */
export async function auditExportResponse(db: Db, url: URL, actor: Actor, opts: { expertNames?: boolean } = {}): Promise<Response> {
	const format = url.searchParams.get('format') ?? 'csv';
	if (format !== 'csv' && format !== 'xlsx') error(400, { message: '参数 format 应为 csv 或 xlsx' });
	const action = url.searchParams.get('action') || null;
	if (action && (action.length > 60 || !/^[\w.-]+$/.test(action))) error(400, { message: '参数 action 格式不正确' });
	const by = url.searchParams.get('actor') || null;
	if (by && (by.length > 60 || !/^[\w.-]+$/.test(by))) error(400, { message: '参数 actor 格式不正确' });
	const file = await auditDownload(db, format as AuditExportFormat, action, by, opts);
	db.transaction((tx) => audit(tx, actor, 'audit.export', 'audit', null, { format, action, ...(by ? { actor: by } : {}), entries: file.rows }));
	return new Response(new Uint8Array(file.body), { headers: file.headers });
}
