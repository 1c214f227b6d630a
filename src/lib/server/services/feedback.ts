/**
 * The 评审反馈函 of one application (issue 14, item 8): built from the batch's results once they are
 * announced (domain/feedback.ts: locked, and the 公示 begun), for the city of the application's
 * region (the route checks the object) and the office. It carries the result (proposed or not, the
 * aggregated score and rank, the national decision when recorded), the 综合评审意见 and the written
 * comments of the valid sheets — per criterion and the sheet's overall comment — under code names
 * ordered by a keyed digest per application. Never an expert's name, id, the panel list or one
 * expert's points. Each download is audited.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { applicationBatch, batchById, externalId } from '../scope';
import { computeResults } from './batch-state';
import { loadRubrics } from '../queries/bundle';
import { nationalDecisionOf } from '../queries/national';
import { hmacSm3, requireKeys } from '../keys';
import { codeNames, feedbackAvailability } from '../../domain/feedback';
import { occupationLabel } from '../../domain/occupations';
import { regionUnit } from '../../domain/regions';
import { APPLICATION_TYPES, LEVELS, labelOf } from '../../domain/vocabulary';
import { beijingDate } from '../../domain/time';
import { renderFeedbackLetter } from '../export/feedback-docx';

export type FeedbackComment = { label: string; text: string };

export type FeedbackData = {
	batchName: string;
	applicationId: string;
	addressee: string;
	institutionName: string;
	occupation: string;
	type: string;
	levels: string;
	result: { proposed: boolean; score: number | null; rank: number | null; groupSize: number; method: string };
	national: { decision: 'confirmed' | 'not-confirmed'; date: string; documentNo: string } | null;
	opinion: string | null;
	/** Per criterion (rubric order), the comments under code names; criteria without a comment are left out. */
	criteria: { name: string; comments: FeedbackComment[] }[];
	/** The sheets' overall comments. */
	overall: FeedbackComment[];
	/** How many experts' sheets the comments come from (no names). */
	experts: number;
	date: string;
};

/** Whether letters of the application's batch can be had now, and why not (null: they can). */
export function feedbackBlock(db: Pick<Db, 'select'>, batchId: string, today: string): string | null {
	const batch = batchById(db, batchId);
	if (!batch) return '没有找到该批次';
	const a = feedbackAvailability(batch, today);
	return a.available ? null : a.reason;
}

/** The letter's content; refused (409) before the results are announced, (404) for an application not in the results. */
export function feedbackData(db: Db, applicationId: string, today: string): FeedbackData {
	const batchId = applicationBatch(db, applicationId);
	const batch = batchId ? batchById(db, batchId) : undefined;
	if (!batch) throw new Refusal('没有找到该申报', 404);
	const availability = feedbackAvailability(batch, today);
	if (!availability.available) throw new Refusal(availability.reason, 409);
	const scope = { db, batch };
	const { results, findings } = computeResults(scope);
	const group = results.groups.find((g) => g.applications.some((a) => a.id === applicationId));
	const result = group?.applications.find((a) => a.id === applicationId);
	const entry = findings.applications.find((a) => a.app.id === applicationId);
	if (!group || !result || !entry) throw new Refusal('该申报未进入评审结果（未推荐或已退回），没有评审反馈函', 404);
	const app = entry.app;
	const institution = findings.institutions.find((i) => i.id === app.institutionId);

	const valid = result.sheets.filter((sh) => sh.valid).map((sh) => sh.expertId);
	const key = requireKeys(db).digest;
	const names = codeNames(valid, (e) => hmacSm3(key, `feedback-code|${applicationId}|${e}`).toString('hex'));
	const order = [...names.entries()].sort((a, b) => a[1].length - b[1].length || a[1].localeCompare(b[1]));
	const rows = valid.length
		? db
				.select()
				.from(s.sheets)
				.where(and(eq(s.sheets.applicationId, applicationId), inArray(s.sheets.expertId, valid)))
				.all()
		: [];
	const byExpert = new Map(rows.map((r) => [r.expertId, r]));
	const points = rows.length ? db.select().from(s.sheetPoints).where(inArray(s.sheetPoints.sheetId, rows.map((r) => r.id))).all() : [];
	const rubricIds = new Set(rows.map((r) => r.rubricId));
	const rubrics = loadRubrics(scope);
	const rubric = rubrics.find((r) => rubricIds.has(r.id)) ?? rubrics.filter((r) => r.type === app.type).at(-1);
	const criterionIds = [...(rubric?.criteria.map((c) => c.id) ?? [])];
	for (const p of points) if (!criterionIds.includes(p.criterionId)) criterionIds.push(p.criterionId);
	const criterionName = new Map((rubric?.criteria ?? []).map((c) => [c.id, c.name]));
	const text = (v: string | null | undefined) => (v ?? '').trim();

	const criteria = criterionIds
		.map((cid) => ({
			name: criterionName.get(cid) ?? cid,
			comments: order
				.map(([expertId, label]) => {
					const sheet = byExpert.get(expertId);
					const p = sheet ? points.find((x) => x.sheetId === sheet.id && x.criterionId === cid) : undefined;
					return { label, text: text(p?.comment) };
				})
				.filter((c) => c.text !== '')
		}))
		.filter((c) => c.comments.length);
	const overall = order.map(([expertId, label]) => ({ label, text: text(byExpert.get(expertId)?.comment) })).filter((c) => c.text !== '');
	const opinion = db.select({ text: s.reviewOpinions.text }).from(s.reviewOpinions).where(eq(s.reviewOpinions.applicationId, applicationId)).get()?.text ?? null;
	const national = nationalDecisionOf(db, applicationId);

	return {
		batchName: batch.name,
		applicationId: externalId(applicationId, batch.id),
		addressee: regionUnit(app.region),
		institutionName: institution?.name ?? app.institutionId,
		occupation: occupationLabel(app.occupation),
		type: labelOf(APPLICATION_TYPES, app.type),
		levels: app.levels.map((l) => labelOf(LEVELS, l)).join('、'),
		result: { proposed: result.proposed, score: result.score, rank: result.rank, groupSize: group.applications.length, method: results.method },
		national: national ? { decision: national.decision, date: national.date, documentNo: national.documentNo } : null,
		opinion: opinion?.trim() ? opinion.trim() : null,
		criteria,
		overall,
		experts: valid.length,
		date: today
	};
}

/** The letter as a .docx, the download audited (who, which application). */
export async function feedbackDocument(db: Db, actor: Actor, applicationId: string, opts: { today?: string; role?: string } = {}): Promise<{ body: Buffer; filename: string }> {
	const today = opts.today ?? beijingDate(new Date());
	const data = feedbackData(db, applicationId, today);
	const body = await renderFeedbackLetter(data);
	db.transaction((tx) => audit(tx, actor, 'feedback.download', 'application', applicationId, { role: opts.role ?? null, national: data.national?.decision ?? null }));
	return { body, filename: `评审反馈函-${data.institutionName}-${data.applicationId}.docx` };
}
