import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { listAudit } from '../queries/audit';
import { verifyAudit } from '../audit';

/** The audit page's data from its URL; a bad page number is a clear 400. */
export function auditPage(db: Db, url: URL) {
	const pageText = url.searchParams.get('page') ?? '1';
	if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) error(400, { message: '参数 page 应为正整数' });
	const action = url.searchParams.get('action') || null;
	if (action && action.length > 60) error(400, { message: '参数 action 过长' });
	const actor = url.searchParams.get('actor') || null;
	if (actor && (actor.length > 60 || !/^[\w.-]+$/.test(actor))) error(400, { message: '参数 actor 格式不正确' });
	const page = Number(pageText);
	return { ...listAudit(db, { action, actor, page }), page, action, actor, verified: verifyAudit(db) };
}
