import { error, isHttpError, json } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { NOT_FOUND_APPLICATION } from '$lib/server/not-found';
import { expertRelation } from '$lib/server/queries/reviews';
import { applicationExists } from '$lib/server/services/access';
import { ScoringError, getSheet, saveSheetTogether, sheetInput } from '$lib/server/services/scoring';
import { canScore } from '$lib/domain/permissions';
import { noteDenial } from '$lib/server/denials';
import type { RequestHandler } from './$types';

function guard(event: Parameters<RequestHandler>[0]) {
	const user = requireRole(event, 'expert');
	const db = getDb();
	const id = event.params.id;
	if (!user.expertId || !/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/.test(id)) error(404, { message: NOT_FOUND_APPLICATION });
	const rel = expertRelation(db, user.expertId, id);
	if (!canScore({ id: user.id, role: user.role, region: user.region, expertId: user.expertId }, rel)) {
		if (applicationExists(db, id)) noteDenial({ status: 404, entity: 'sheet', entityId: `${id}/${user.expertId}`, reason: 'cannot-score' });
		error(404, { message: NOT_FOUND_APPLICATION });
	}
	return { user, db, id, expertId: user.expertId };
}

const view = (s: ReturnType<typeof getSheet>) => ({
	status: s.status,
	points: s.points,
	comments: s.comments,
	comment: s.comment,
	explanation: s.explanation,
	version: s.version,
	updatedAt: s.updatedAt,
	total: s.total,
	abnormal: s.abnormal,
	returnedReason: s.returnedReason,
	locked: s.locked
});

/** The stored sheet (used after a version conflict to load the latest). */
export const GET: RequestHandler = (event) => {
	const { db, id, expertId } = guard(event);
	return json(view(getSheet(db, id, expertId)), { headers: { 'Cache-Control': 'no-store' } });
};

/**
 * Autosave of a draft (JSON). 409 when the stored sheet moved on; 400 with the field named on bad
 * points. Answered only after the commit (shared with the saves that arrived at the same time).
 */
export const POST: RequestHandler = async (event) => {
	const { user, db, id, expertId } = guard(event);
	let body: unknown;
	try {
		body = await event.request.json();
	} catch (e) {
		if (isHttpError(e)) throw e; // 413: the body is over the server's limit
		return json({ error: '请求内容不是有效的 JSON' }, { status: 400 });
	}
	const parsed = sheetInput.safeParse(body);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		return json({ error: `${i.path.join('.') || '评分表'}：${i.message}`, field: i.path.join('.') }, { status: 400 });
	}
	try {
		const saved = await saveSheetTogether(db, id, expertId, parsed.data, actorOf(user));
		return json(view(saved));
	} catch (e) {
		if (e instanceof ScoringError) {
			const current = e.status === 409 ? view(getSheet(db, id, expertId)) : undefined;
			const locked = e.code === 'locked' || undefined;
			return json({ error: e.message, field: e.field, details: e.details, current, locked }, { status: e.status });
		}
		throw e;
	}
};
