import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { actionLabel, actorName, auditReferences, auditSentence } from '../../domain/audit-text';
import { auditNames, listAudit } from '../queries/audit';
import { verifyAudit } from '../audit';

/**
 * The audit page's data from its URL; a bad page number is a clear 400. Each entry comes with its
 * sentence (domain/audit-text) over the names resolved here; `expertNames: false` keeps experts as
 * ids (the observer sees no expert names elsewhere either).
 */
export function auditPage(db: Db, url: URL, opts: { expertNames?: boolean } = {}) {
	const pageText = url.searchParams.get('page') ?? '1';
	if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) error(400, { message: '参数 page 应为正整数' });
	const action = url.searchParams.get('action') || null;
	if (action && action.length > 60) error(400, { message: '参数 action 过长' });
	const actor = url.searchParams.get('actor') || null;
	if (actor && (actor.length > 60 || !/^[\w.-]+$/.test(actor))) error(400, { message: '参数 actor 格式不正确' });
	const page = Number(pageText);
	const list = listAudit(db, { action, actor, page });
	const refs = auditReferences(list.rows);
	const names = auditNames(db, opts.expertNames === false ? { ...refs, experts: [] } : refs);
	const rows = list.rows.map((r) => ({
		id: r.id,
		at: r.at,
		actor: r.actor,
		actorName: actorName(r, names),
		action: r.action,
		actionLabel: actionLabel(r.action),
		entity: r.entity,
		entityId: r.entityId,
		detail: r.detail,
		hash: r.hash,
		sentence: auditSentence(r, names)
	}));
	const actions = list.actions.map((a) => ({ key: a, label: actionLabel(a) }));
	return { ...list, rows, actions, page, action, actor, verified: verifyAudit(db) };
}
