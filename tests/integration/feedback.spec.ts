/**
 * The 评审反馈函 (issue 14, item 8), read back from the .docx: the result, the 综合评审意见, the
 * criterion and overall comments under code names (专家A…) in a keyed order — never an expert's
 * name or id, never one expert's score; available only once the results are announced; a city of
 * another region is refused the application; each download audited.
 */
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { Refusal } from '../../src/lib/server/refusal';
import { requireScope } from '../../src/lib/server/scope';
import { feedbackBlock, feedbackData, feedbackDocument } from '../../src/lib/server/services/feedback';
import { recordNationalDecision } from '../../src/lib/server/services/national';
import { visibleApplication } from '../../src/lib/server/services/access';
import { hmacSm3, requireKeys } from '../../src/lib/server/keys';
import type { SessionUser } from '../../src/lib/server/auth';
import { EXPERT_IDS, EXPERT_NAMES, OFFICE, TODAY, finished, lastAudits, scored } from './national-world';

const decode = (x: string) => x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

async function letterText(body: Buffer): Promise<{ xml: string; paragraphs: string[]; all: string }> {
	const zip = await JSZip.loadAsync(body);
	const xml = await zip.file('word/document.xml')!.async('string');
	const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => decode([...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')));
	// Every part of the package (core properties, headers, footers…): nothing may carry a name there either.
	const parts = await Promise.all(Object.values(zip.files).filter((f) => !f.dir).map((f) => f.async('string')));
	return { xml, paragraphs, all: decode(parts.join('\n')) };
}

function comment(db: Db, applicationId: string, expertId: string, criterionId: string, text: string) {
	const sheet = db.select().from(s.sheets).where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId))).get()!;
	db.update(s.sheetPoints).set({ comment: text }).where(and(eq(s.sheetPoints.sheetId, sheet.id), eq(s.sheetPoints.criterionId, criterionId))).run();
}

/** The finished batch with comments on app-1 and its 综合评审意见. */
function withComments(): Db {
	const db = finished();
	comment(db, 'app-1', 'exp-1', 'a', '年培训规模大，来源真实。');
	comment(db, 'app-1', 'exp-3', 'a', '规模数据有待核实。');
	comment(db, 'app-1', 'exp-2', 'b', '师资结构合理。');
	db.insert(s.reviewOpinions).values({ applicationId: 'app-1', text: '该机构培训规模大、师资力量强，同意推荐。' }).run();
	return db;
}

const keyOrder = (db: Db, applicationId: string) => {
	const key = requireKeys(db).digest;
	return [...EXPERT_IDS].sort((a, b) => {
		const ka = hmacSm3(key, `feedback-code|${applicationId}|${a}`).toString('hex');
		const kb = hmacSm3(key, `feedback-code|${applicationId}|${b}`).toString('hex');
		return ka < kb ? -1 : 1;
	});
};

describe('the feedback letter', () => {
	it('prints the result, the opinion and the anonymised comments, and nothing that names an expert or gives one expert\'s score', async () => {
		const db = withComments();
		recordNationalDecision(requireScope(db), OFFICE, 'app-1', { decision: 'confirmed', date: '2023-08-20', documentNo: '人社厅函〔2023〕88号' }, { today: TODAY });
		const { body, filename } = await feedbackDocument(db, OFFICE, 'app-1', { today: TODAY, role: 'office' });
		expect(filename).toBe('评审反馈函-辽宁甲乙智能科技有限公司-app-1.docx');
		const { paragraphs, all } = await letterText(body);
		expect(paragraphs[0]).toBe('评审反馈函');
		expect(paragraphs).toContain('沈阳市人力资源和社会保障局：');
		// 90.5, 85.5, 80: fewer than five sheets, so the mean 85.33; first of the three proposed ai training.
		expect(paragraphs).toContain('综合得分 85.33 分，在本职业同类申报（共 3 家）中排名第 1 位。');
		expect(paragraphs).toContain('评审结论：列入拟推荐名单，报国家工程指导协调小组审核确定。');
		expect(paragraphs).toContain('国家工程指导协调小组审核结果：确定（2023年8月20日，人社厅函〔2023〕88号）。');
		expect(paragraphs).toContain('该机构培训规模大、师资力量强，同意推荐。');

		// Code names in the keyed order of this application.
		const label = new Map(keyOrder(db, 'app-1').map((e, i) => [e, `专家${'ABC'[i]}`]));
		const criterionA = paragraphs.indexOf('（一）培训规模');
		const criterionB = paragraphs.indexOf('（二）师资与平台');
		const overall = paragraphs.indexOf('（三）总体意见');
		expect([criterionA, criterionB, overall].every((i) => i > 0)).toBe(true);
		const under = (from: number, to: number) => paragraphs.slice(from + 1, to);
		expect(under(criterionA, criterionB).sort()).toEqual([`${label.get('exp-1')}：年培训规模大，来源真实。`, `${label.get('exp-3')}：规模数据有待核实。`].sort());
		expect(under(criterionB, overall)).toEqual([`${label.get('exp-2')}：师资结构合理。`]);
		expect(under(overall, overall + 3).slice(0, 2).sort()).toEqual([`${label.get('exp-1')}：整体实力较强。`, `${label.get('exp-3')}：建议加强线上平台建设。`].sort());
		// Within a criterion the comments go in code-name order, A before B.
		const firstA = under(criterionA, criterionB).map((p) => p.slice(0, 3));
		expect(firstA).toEqual([...firstA].sort());

		// Never a name, an expert id or the panel list; never one expert's total or points.
		for (const name of EXPERT_NAMES) expect(all.includes(name), name).toBe(false);
		for (const id of EXPERT_IDS) expect(all.includes(id), id).toBe(false);
		for (const unit of ['东北大学', '大连理工大学', '沈阳工业大学']) expect(all.includes(unit), unit).toBe(false);
		for (const score of ['90.5', '85.5', '36.5', '51.5', '54', '48']) expect(paragraphs.join('\n').includes(score), score).toBe(false);
		expect(paragraphs.some((p) => /专家[ABC]：.*分/.test(p))).toBe(false);

		expect(lastAudits(db, 1)[0]).toMatchObject({ action: 'feedback.download', entity: 'application', entityId: 'app-1', detail: { role: 'office', national: 'confirmed' } });
	});

	it('gives the same code names on every download', async () => {
		const db = withComments();
		const a = feedbackData(db, 'app-1', TODAY);
		const b = feedbackData(db, 'app-1', TODAY);
		expect(a.criteria).toEqual(b.criteria);
		expect(a.experts).toBe(3);
	});

	it('says so when nothing was written and the application was not proposed', async () => {
		const db = finished();
		const { paragraphs } = await letterText((await feedbackDocument(db, OFFICE, 'app-4', { today: TODAY })).body);
		expect(paragraphs).toContain('评审结论：未列入拟推荐名单。');
		expect(paragraphs).toContain('评审会议未形成书面的综合评审意见。');
		expect(paragraphs).toContain('评审专家未填写书面意见。');
		expect(paragraphs.some((p) => p.includes('国家工程指导协调小组审核结果'))).toBe(false);
	});

	it('is not available before the results are locked and the publicity has begun; nothing is written then', async () => {
		const refusedWith = async (db: Db, today = TODAY) => {
			const n = db.select().from(s.auditLog).all().length;
			try {
				await feedbackDocument(db, OFFICE, 'app-1', { today });
			} catch (e) {
				expect(db.select().from(s.auditLog).all().length).toBe(n);
				if (e instanceof Refusal) return e;
				throw e;
			}
			throw new Error('expected a refusal');
		};
		const unlocked = scored();
		expect((await refusedWith(unlocked)).status).toBe(409);
		expect((await refusedWith(unlocked)).message).toMatch(/尚未锁定/);
		expect(feedbackBlock(unlocked, 'ln-2023-b2', TODAY)).toMatch(/尚未锁定/);
		const noPublicity = finished({ publicity: 'none' });
		expect((await refusedWith(noPublicity)).message).toMatch(/尚未开始公示/);
		const before = finished();
		expect((await refusedWith(before, '2023-08-01')).message).toBe('公示自 2023-08-02 开始，届时才能下载反馈函');
		expect(feedbackBlock(before, 'ln-2023-b2', '2023-08-02')).toBeNull();
		// An application that did not enter the results has no letter.
		const db = finished();
		db.update(s.applications).set({ status: 'returned' }).where(eq(s.applications.id, 'app-2')).run();
		await expect(feedbackDocument(db, OFFICE, 'app-2', { today: TODAY })).rejects.toMatchObject({ status: 404 });
	});

	it('is refused to a city of another region as a missing application (404), the refusal noted', () => {
		const db = finished();
		const user = (region: string): SessionUser => ({ id: `u-${region}`, username: `city-${region}`, displayName: region, role: 'city', region, expertId: null, mustChangePassword: false }) as unknown as SessionUser;
		expect(() => visibleApplication(db, user('dalian'), 'app-1', { entity: 'feedback', id: 'app-1' })).toThrow(expect.objectContaining({ status: 404 }));
		expect(visibleApplication(db, user('shenyang'), 'app-1', { entity: 'feedback', id: 'app-1' }).app.id).toBe('app-1');
	});
});
