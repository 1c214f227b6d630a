/**
 * The results memo (.docx) and the results workbook (.xlsx), built from a small batch whose
 * scores are computed by hand below, read back from the files they write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { cli, tempDir, writeJson } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { computeResults } from '../../src/lib/server/services/batch-state';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { round2, toResultsJson } from '../../src/lib/domain/aggregation';
import { idCheckChar, usccCheckChar } from '../../src/lib/domain/identifiers';
import {
	MEMO_TITLE,
	beijingDate,
	buildMemoData,
	buildWorkbookData,
	canonicalJson,
	chineseDate,
	chineseNumber,
	expertAlias,
	resultsDigest
} from '../../src/lib/server/export/memo-data';
import { CHARACTER_SPACING, HELD_MARK, LANDSCAPE_MARGIN, PAGE, characterSpacingFor, mmToTwip, renderMemo } from '../../src/lib/server/export/docx';
import { saveMemoSettings, saveParagraphs } from '../../src/lib/server/services/memo';
import { lockResults } from '../../src/lib/server/services/results';
import { Refusal } from '../../src/lib/server/refusal';
import { escapeCellText, renderResultsWorkbook } from '../../src/lib/server/export/xlsx';
import { batchById, requireScope } from '../../src/lib/server/scope';

/* ---------- The batch ---------- */

const MALICIOUS = '=HYPERLINK("http://x","y")';

const uscc = (n: number) => {
	const first17 = `9121010${String(n).padStart(10, '0')}`;
	return first17 + usccCheckChar(first17);
};
const idNumber = (n: number) => {
	const first17 = `21010219800101${String(n).padStart(3, '0')}`;
	return first17 + idCheckChar(first17);
};

function institution(id: string, name: string, n: number) {
	return {
		id,
		name,
		uscc: uscc(n),
		legalRep: { name: `法人${n}`, idNumber: idNumber(n) },
		unitType: 'enterprise',
		founded: '2012-03-01',
		taxes: [{ year: 2022, amount: 30, dishonest: false }]
	};
}

function application(id: string, institutionId: string, type: 'training' | 'evaluation', occupation: string, region: string, levels: string[]) {
	return {
		id,
		institutionId,
		type,
		occupation,
		region,
		levels,
		trainingYears: type === 'training' ? [{ year: 2022, total: 2600, independent: 2000, cooperative: 600 }] : [],
		evaluationYears: type === 'evaluation' ? [{ year: 2022, certificate: '物联网工程师', own: true, issued: 2500 }] : [],
		attachments: { registrationCertificate: true, creditReport: true, integrityCommitment: true },
		recommendation: { reason: '推荐理由', unit: '沈阳市人力资源和社会保障局', date: '2023-06-10' }
	};
}

/** Training rubric a (40) + b (60); evaluation rubric x (50) + y (50). */
function sheet(applicationId: string, expertId: string, p: [number, number], status: 'submitted' | 'draft' = 'submitted') {
	const training = ['app-1', 'app-2', 'app-3'].includes(applicationId);
	return {
		applicationId,
		expertId,
		rubricId: training ? 'rub-t' : 'rub-e',
		status,
		points: training ? { a: p[0], b: p[1] } : { x: p[0], y: p[1] },
		comment: null,
		explanation: null
	};
}

/**
 * app-1 (ai training): 90, 85, 80, 75, 70 → trimmed mean of 85, 80, 75 = 80.00, rank 1.
 * app-2 (ai training): 82.5, 77.5, 80, 75 → mean 78.75, rank 2, the meeting says not proposed.
 * app-3 (ai training, the hostile name): 60, 62.5, 65.5 → 188 / 3 = 62.666…, shown 62.67, rank 3;
 *   its missing recommendation (blocking) is overridden in writing.
 * app-4 (iot evaluation): 55, 58, 61 → 58.00, rank 1, below the pass score; exp-5's 90 is
 *   excluded (declared conflict).
 * app-5 (ai evaluation): 2 sheets → unranked.
 */
function memoBundle() {
	const experts = ['东北大学', '大连理工大学', '沈阳工业大学', '辽宁大学', '沈阳航空航天大学'].map((workUnit, i) => ({
		id: `exp-${i + 1}`,
		name: `专家${['甲', '乙', '丙', '丁', '戊'][i]}`,
		workUnit,
		occupations: ['ai', 'iot']
	}));
	const app3 = application('app-3', 'inst-3', 'training', 'ai', 'anshan', ['junior']);
	app3.recommendation = { reason: '', unit: '鞍山市人力资源和社会保障局', date: '2023-06-10' };
	const assignments = [
		...['exp-1', 'exp-2', 'exp-3', 'exp-4', 'exp-5'].map((e) => ({ applicationId: 'app-1', expertId: e })),
		...['exp-1', 'exp-2', 'exp-3', 'exp-4'].map((e) => ({ applicationId: 'app-2', expertId: e })),
		...['exp-1', 'exp-2', 'exp-3'].map((e) => ({ applicationId: 'app-3', expertId: e })),
		...['exp-1', 'exp-2', 'exp-3', 'exp-5'].map((e) => ({ applicationId: 'app-4', expertId: e })),
		...['exp-1', 'exp-2', 'exp-3'].map((e) => ({ applicationId: 'app-5', expertId: e }))
	];
	return {
		format: 'dte-review-bundle',
		version: 1,
		batch: { id: 'ln-2023-b2', name: '辽宁省第二批', deadline: '2023-06-15' },
		institutions: [
			institution('inst-1', '辽宁甲乙智能科技有限公司', 1),
			institution('inst-2', '大连丙丁数据服务有限公司', 2),
			institution('inst-3', MALICIOUS, 3),
			institution('inst-4', '鞍山戊己物联网技术有限公司', 4)
		],
		applications: [
			application('app-1', 'inst-1', 'training', 'ai', 'shenyang', ['junior', 'intermediate']),
			application('app-2', 'inst-2', 'training', 'ai', 'dalian', ['senior']),
			app3,
			application('app-4', 'inst-4', 'evaluation', 'iot', 'anshan', ['junior']),
			application('app-5', 'inst-1', 'evaluation', 'ai', 'shenyang', ['junior'])
		],
		experts,
		rubrics: [
			{ id: 'rub-t', type: 'training', criteria: [{ id: 'a', name: '培训规模', maxPoints: 40 }, { id: 'b', name: '师资与平台', maxPoints: 60 }] },
			{ id: 'rub-e', type: 'evaluation', criteria: [{ id: 'x', name: '考核规模', maxPoints: 50 }, { id: 'y', name: '考评队伍', maxPoints: 50 }] }
		],
		assignments,
		declarations: [{ applicationId: 'app-4', expertId: 'exp-5', reason: '近三年曾在该单位兼职' }],
		scores: [
			sheet('app-1', 'exp-1', [36, 54]),
			sheet('app-1', 'exp-2', [34, 51]),
			sheet('app-1', 'exp-3', [32, 48]),
			sheet('app-1', 'exp-4', [30, 45]),
			sheet('app-1', 'exp-5', [28, 42]),
			sheet('app-2', 'exp-1', [33, 49.5]),
			sheet('app-2', 'exp-2', [31, 46.5]),
			sheet('app-2', 'exp-3', [32, 48]),
			sheet('app-2', 'exp-4', [30, 45]),
			sheet('app-3', 'exp-1', [24, 36]),
			sheet('app-3', 'exp-2', [25, 37.5]),
			sheet('app-3', 'exp-3', [26, 39.5]),
			sheet('app-4', 'exp-1', [27.5, 27.5]),
			sheet('app-4', 'exp-2', [29, 29]),
			sheet('app-4', 'exp-3', [30.5, 30.5]),
			sheet('app-4', 'exp-5', [45, 45]),
			sheet('app-5', 'exp-1', [35, 35]),
			sheet('app-5', 'exp-2', [36, 36]),
			sheet('app-5', 'exp-3', [30, 30], 'draft')
		],
		decisions: [{ applicationId: 'app-2', decision: 'not-proposed', reason: '实地考察发现场地与申报不符' }]
	};
}

function seeded(): Db {
	const db = memoryDb();
	importBundle(db, memoBundle(), SYSTEM_ACTOR);
	db.insert(s.findingOverrides).values({ applicationId: 'app-3', code: 'MISSING_RECOMMENDATION', reason: '推荐函已补交，推荐理由见函' }).run();
	db.insert(s.siteVisits).values({ applicationId: 'app-2', date: '2023-07-20', members: '张某、李某', findings: '场地与申报材料不符' }).run();
	return db;
}

/* ---------- Reading the files back ---------- */

const decode = (x: string) =>
	x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text of every paragraph of a WordprocessingML part (runs joined, breaks dropped). */
function paragraphs(xml: string): string[] {
	return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
		decode([...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''))
	);
}

async function docxParts(buf: Buffer) {
	const zip = await JSZip.loadAsync(buf);
	const document = await zip.file('word/document.xml')!.async('string');
	const footers = await Promise.all(zip.file(/word\/footer\d*\.xml/).map((f) => f.async('string')));
	return { document, footers, paragraphs: paragraphs(document) };
}

function sectPrs(xml: string) {
	return [...xml.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map((m) => {
		const attr = (el: string, name: string) => Number(new RegExp(`<w:${el} [^>]*w:${name}="(\\d+)"`).exec(m[0])?.[1]);
		return {
			w: attr('pgSz', 'w'),
			h: attr('pgSz', 'h'),
			top: attr('pgMar', 'top'),
			bottom: attr('pgMar', 'bottom'),
			left: attr('pgMar', 'left'),
			right: attr('pgMar', 'right'),
			landscape: /w:orient="landscape"/.test(m[0])
		};
	});
}

async function loadWorkbook(buf: Buffer) {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
	return wb;
}

function rowsOf(ws: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] {
	const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
	const out: Record<string, ExcelJS.Cell>[] = [];
	ws.eachRow((row, n) => {
		if (n === 1) return;
		out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
	});
	return out;
}

/* ---------- The data ---------- */

describe('memo data', () => {
	it('computes the results by hand-checked numbers', () => {
		const d = buildMemoData(requireScope(seeded()));
		// training first, then evaluation; occupations in the order of the notice
		expect(d.groups.map((g) => `${g.occupation}/${g.type}`)).toEqual(['ai/training', 'ai/evaluation', 'iot/evaluation']);
		const ai = d.groups.find((g) => g.occupation === 'ai' && g.type === 'training')!;
		expect(ai.applications.map((a) => [a.id, a.score, a.rank, a.n, a.proposed])).toEqual([
			['app-1', 80, 1, 5, true],
			['app-2', 78.75, 2, 4, false],
			['app-3', 188 / 3, 3, 3, true]
		]);
		expect(ai.applications.map((a) => a.scoreText)).toEqual(['80.00', '78.75', '62.67']);
		expect(ai.proposed.map((a) => a.institutionName)).toEqual(['辽宁甲乙智能科技有限公司', MALICIOUS]);
		expect(ai.applications[1]).toMatchObject({ decision: 'not-proposed', decisionLabel: '不推荐', decisionReason: '实地考察发现场地与申报不符', defaultProposed: true });
		// experts in the group, lettered by id
		expect(ai.experts).toEqual(['exp-1', 'exp-2', 'exp-3', 'exp-4', 'exp-5'].map((expertId, i) => ({ expertId, alias: `专家${'ABCDE'[i]}` })));
		expect(ai.applications[0].sheets.map((x) => [x.alias, x.total, x.points])).toEqual([
			['专家A', 90, { a: 36, b: 54 }],
			['专家B', 85, { a: 34, b: 51 }],
			['专家C', 80, { a: 32, b: 48 }],
			['专家D', 75, { a: 30, b: 45 }],
			['专家E', 70, { a: 28, b: 42 }]
		]);

		const iot = d.groups.find((g) => g.occupation === 'iot')!;
		expect(iot.applications[0]).toMatchObject({ id: 'app-4', score: 58, rank: 1, n: 3, proposed: false });
		const excluded = iot.applications[0].sheets.find((x) => x.expertId === 'exp-5')!;
		expect(excluded).toMatchObject({ valid: false, excludedWhy: 'DECLARED', total: 90 });

		const aiEval = d.groups.find((g) => g.occupation === 'ai' && g.type === 'evaluation')!;
		expect(aiEval.applications[0]).toMatchObject({ id: 'app-5', score: null, rank: null, n: 2, scoreText: '—', flags: ['INSUFFICIENT_REVIEWS'] });
		expect(d.proposedCount).toBe(2);
	});

	it('counts what was received, checked, recused and visited', () => {
		const d = buildMemoData(requireScope(seeded()));
		expect(d.received).toMatchObject({ total: 5, training: 3, evaluation: 2, institutions: 4, returned: 0 });
		expect(d.received.byOccupation).toHaveLength(10);
		expect(d.received.byOccupation.find((o) => o.key === 'ai')).toEqual({ key: 'ai', label: '人工智能工程技术人员', training: 3, evaluation: 1, total: 4 });
		expect(d.received.byRegion).toHaveLength(15);
		expect(d.received.byRegion.find((r) => r.key === 'anshan')).toMatchObject({ training: 1, evaluation: 1, total: 2 });
		expect(d.formalCheck.blocked).toEqual([]);
		expect(d.formalCheck.clean).toBe(4);
		expect(d.formalCheck.overrides).toEqual([
			expect.objectContaining({ applicationId: 'app-3', institutionName: MALICIOUS, code: 'MISSING_RECOMMENDATION', label: '缺少推荐意见', reason: '推荐函已补交，推荐理由见函' })
		]);
		// 5 + 4 + 3 + 4 + 3 assignments; exp-5 on app-4 declared a conflict
		expect(d.experts).toMatchObject({ involved: 5, committed: 0, assignments: 19, submittedSheets: 18, recusals: 1, declared: 1, excludedSheets: 1, hardConflictPairs: 1 });
		expect(d.experts.workload.find((w) => w.expertId === 'exp-5')).toEqual({
			expertId: 'exp-5', name: '专家戊', workUnit: '沈阳航空航天大学', assigned: 2, submitted: 2, recused: 1, declared: 1, excluded: 1
		});
		expect(d.rubrics.map((r) => [r.id, r.total, r.criteria.map((c) => c.maxPoints)])).toEqual([
			['rub-t', 100, [40, 60]],
			['rub-e', 100, [50, 50]]
		]);
		expect(d.siteVisits).toEqual([
			{ applicationId: 'app-2', institutionName: '大连丙丁数据服务有限公司', occupationLabel: '人工智能工程技术人员', typeLabel: '培训机构', date: '2023-07-20', members: '张某、李某', findings: '场地与申报材料不符' }
		]);
		expect(d.dates.deadline).toBe('2023-06-15');
		expect(d.dates.latestSubmission).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(d.aggregation).toMatchObject({ method: 'trimmed', settings: { minReviews: 3, passScore: 60, maxPerGroup: null } });
	});

	it('the hash: same results same hash, any change a different one', () => {
		const db = seeded();
		const first = buildMemoData(requireScope(db)).hash;
		expect(first).toMatch(/^[0-9a-f]{64}$/);
		expect(buildMemoData(requireScope(db)).hash).toBe(first);
		expect(resultsDigest(computeResults(requireScope(db)).results)).toBe(first);

		// one point of one sheet: 33 → 33.5
		const sheetId = db.select().from(s.sheets).where(and(eq(s.sheets.applicationId, 'app-2'), eq(s.sheets.expertId, 'exp-1'))).get()!.id;
		const setA = (v: number) =>
			db.update(s.sheetPoints).set({ points: v }).where(and(eq(s.sheetPoints.sheetId, sheetId), eq(s.sheetPoints.criterionId, 'a'))).run();
		setA(33.5);
		const changed = buildMemoData(requireScope(db));
		expect(changed.hash).not.toBe(first);
		expect(changed.groups.flatMap((g) => g.applications).find((a) => a.id === 'app-2')!.score).toBe(78.875); // (315.5) / 4
		setA(33);
		expect(buildMemoData(requireScope(db)).hash).toBe(first);

		// a decision changes it too; narrative text does not
		db.update(s.batches).set({ memo: { closing: '特此报告。' } }).run();
		expect(buildMemoData(requireScope(db)).hash).toBe(first);
		db.update(s.decisions).set({ decision: 'pending' }).where(eq(s.decisions.applicationId, 'app-2')).run();
		expect(buildMemoData(requireScope(db)).hash).not.toBe(first);
	});

	it('canonical JSON sorts keys at every level', () => {
		expect(canonicalJson({ b: 1, a: [{ d: null, c: 2.5 }], e: 'x' })).toBe('{"a":[{"c":2.5,"d":null}],"b":1,"e":"x"}');
		expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
	});

	it('narrative: batches.memo overrides the generated paragraphs', () => {
		const db = seeded();
		const before = buildMemoData(requireScope(db));
		expect(before.customParagraphs).toEqual([]);
		expect(before.paragraphs.intro).toContain('现将评审结果报告如下');
		expect(before.paragraphs.organisation).toContain('共推荐申报5项');
		expect(before.paragraphs.organisation).toContain('5项申报中，4项未发现问题；1条否决性问题经核实后予以书面豁免（理由见附件2）；无未解决的否决性问题。');
		expect(before.paragraphs.conflicts).toContain('共5名专家参与评审，分配评审任务19人次，提交评分表18份');
		expect(before.paragraphs.conflicts).not.toContain('签署了诚信和保密承诺');
		expect(before.paragraphs.conflicts).toContain('共识别需回避情形1对（其中专家主动申报1项），已分配的评审任务中专家回避1人次；因回避等原因不计入汇总的评分表1份。');
		expect(before.paragraphs.results).toContain('拟推荐机构2家次，其中培训机构2家次、评价机构0家次');
		expect(before.paragraphs.method).toContain('有效评分表达到5份的，去掉一个最高分和一个最低分后取算术平均值');
		for (const expertId of ['exp-1', 'exp-2', 'exp-3', 'exp-4', 'exp-5']) {
			db.insert(s.commitments).values({ expertId, batchId: 'ln-2023-b2', textHash: 'x' }).run();
		}
		expect(buildMemoData(requireScope(db)).paragraphs.conflicts).toContain('评审前，全体评审专家签署了诚信和保密承诺。');
		db.update(s.batches).set({ memo: { closing: '特此报告。', intro: '   ', other: 'x' } }).run();
		const after = buildMemoData(requireScope(db));
		expect(after.paragraphs.closing).toBe('特此报告。');
		expect(after.paragraphs.intro).toBe(before.paragraphs.intro);
		expect(after.customParagraphs).toEqual(['closing']);
	});

	it('dates in Beijing time and in the written form', () => {
		expect(beijingDate('2026-11-24T17:30:00.000Z')).toBe('2026-11-25');
		expect(beijingDate('2026-11-25')).toBe('2026-11-25');
		expect(chineseDate('2026-11-25')).toBe('2026年11月25日');
		expect(chineseDate('2026-03-06')).toBe('2026年3月6日');
		expect([1, 10, 12, 20, 35].map(chineseNumber)).toEqual(['一', '十', '十二', '二十', '三十五']);
		expect([0, 25, 26].map(expertAlias)).toEqual(['专家A', '专家Z', '专家AA']);
	});
});

/* ---------- The .docx ---------- */

describe('memo document', () => {
	it('prints the audit head (last entry and its keyed hash) under the data hash, to detect a rollback', async () => {
		const db = seeded();
		const head = db.$client.prepare('SELECT last_id AS lastId, last_hash AS lastHash FROM audit_head WHERE id = 1').get() as { lastId: number; lastHash: string };
		expect(head.lastId).toBeGreaterThan(0);
		const data = buildMemoData(requireScope(db), { now: new Date('2026-03-05T20:00:00Z') });
		expect(data.auditHead).toEqual(head);
		const { paragraphs: ps } = await docxParts(await renderMemo(data));
		// one 附注 in parentheses: the data hash, then the head when the memo was made
		expect(ps).toContain(`（附注：本报告所依据的评审结果数据摘要（SHA-256）：${data.hash}；出具时审计日志末条记录（第 ${head.lastId} 条）签名：${head.lastHash}。）`);
		// A database rolled back to before that entry no longer holds it with this hash.
		expect(db.$client.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck().get(head.lastId)).toBe(head.lastHash);
	});

	it('title, addressee, proposed institutions, scores, hash, issuer', async () => {
		const db = seeded();
		const data = buildMemoData(requireScope(db), { now: new Date('2026-03-05T20:00:00Z') });
		const { document, paragraphs: ps } = await docxParts(await renderMemo(data));
		const text = ps.join('\n');

		const title = ps.indexOf(MEMO_TITLE);
		expect(title).toBeGreaterThan(0); // after the 版头
		expect(ps[title + 1]).toBe('（结果尚未锁定，仅供审阅）');
		expect(ps).toContain('国家工程指导协调小组：');
		expect(text).toContain('辽宁甲乙智能科技有限公司');
		expect(text).toContain(MALICIOUS);

		// the scores of the proposed agree with `results --json`, rounded to 2 decimals
		const json = toResultsJson(computeResults(requireScope(db)).results);
		const proposed = json.groups.flatMap((g) => g.applications).filter((a) => a.proposed);
		expect(proposed.map((a) => a.id)).toEqual(['app-1', 'app-3']);
		for (const a of proposed) expect(text).toContain(round2(a.score!).toFixed(2));
		expect(text).toContain('80.00');
		expect(text).toContain('62.67');
		expect(text).not.toContain('62.666');

		expect(ps.find((p) => p.startsWith('（附注：'))).toContain(`本报告所依据的评审结果数据摘要（SHA-256）：${data.hash}`);
		expect(ps).toContain('辽宁省人力资源和社会保障厅');
		expect(ps).toContain('2026年3月6日');
		for (const heading of ['一、评审工作组织情况', '二、评审结果', '附件1', '附件2', '附件3', '评审得分汇总表', '形式审查问题豁免情况', '实地考察情况']) {
			expect(ps).toContain(heading);
		}
		expect(text).toContain('推荐函已补交，推荐理由见函');
		expect(text).toContain('场地与申报材料不符');
		expect(document).not.toContain('exp-1'); // experts are anonymised
		expect(text).not.toContain('专家甲');
	});

	it('GB/T 9704 layout: A4, margins, fonts, sizes, line spacing, page numbers, header rows', async () => {
		const { document, footers } = await docxParts(await renderMemo(buildMemoData(requireScope(seeded()))));
		const sections = sectPrs(document);
		expect(sections).toHaveLength(3);
		const portrait = { w: 11906, h: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474, landscape: false };
		expect(sections[0]).toEqual(portrait);
		expect(sections[2]).toEqual(portrait);
		// 附件1 is landscape, the binding edge on top
		expect(sections[1]).toEqual({ w: 16838, h: 11906, top: 1587, bottom: 1474, left: 1984, right: 2098, landscape: true });

		expect(document).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>/);
		expect(document).toMatch(/w:eastAsia="仿宋_GB2312"[^>]*\/><w:sz w:val="32"\/>/);
		expect(document).toMatch(/w:eastAsia="黑体"[^>]*\/><w:sz w:val="32"\/>/);
		expect(document).toMatch(/w:eastAsia="楷体_GB2312"[^>]*\/><w:sz w:val="32"\/>/);
		expect(document).toMatch(/w:eastAsia="仿宋_GB2312"[^>]*\/><w:b\/><w:bCs\/><w:sz w:val="24"\/>/); // table header, 小四
		expect(document).toContain('w:line="579" w:lineRule="exact"');
		expect(document).toContain('w:firstLineChars="200"');
		expect(document).toContain('<w:tblHeader/>');
		expect(document).toContain('<w:cantSplit/>');
		expect(footers.length).toBeGreaterThanOrEqual(2);
		for (const f of footers) {
			expect(f).toMatch(/PAGE/);
			expect(paragraphs(f).join('')).toBe('—  —'); // "— " PAGE " —"
			expect(f).toContain('w:eastAsia="宋体"');
		}
	});

	it('locked results: no review note, the lock date under the issuer', async () => {
		const db = seeded();
		db.update(s.batches).set({ resultsLockedAt: '2026-11-25T02:00:00.000Z' }).run();
		const data = buildMemoData(requireScope(db));
		expect(data.lock.locked).toBe(true);
		expect(data.dates.memoDate).toBe('2026-11-25');
		const { paragraphs: ps } = await docxParts(await renderMemo(data));
		expect(ps.join('\n')).not.toContain('结果尚未锁定');
		expect(ps).toContain('2026年11月25日');
		expect(ps[ps.indexOf(MEMO_TITLE) + 1]).toBe('');
	});
});

/* ---------- The .xlsx ---------- */

describe('results workbook', () => {
	it('sheets, frozen headers, numbers as numbers, hostile text kept as text', async () => {
		const db = seeded();
		const buf = await renderResultsWorkbook(buildWorkbookData(requireScope(db)));
		const wb = await loadWorkbook(buf);
		expect(wb.worksheets.map((w) => w.name)).toEqual(['评分汇总', '拟推荐名单', '专家工作量', '审计日志']);
		for (const ws of wb.worksheets) {
			expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
			expect(ws.getColumn(1).width).toBeGreaterThan(0);
		}

		const proposed = rowsOf(wb.getWorksheet('拟推荐名单')!);
		expect(proposed.map((r) => r['申报编号'].value)).toEqual(['app-1', 'app-3']);
		expect(proposed.map((r) => r['得分'].value)).toEqual([80, 62.67]);
		expect(proposed[1]['得分'].type).toBe(ExcelJS.ValueType.Number);
		expect(proposed[1]['得分'].numFmt).toBe('0.00');
		expect(proposed[1]['排名'].value).toBe(3);

		// the hostile name: a string with a leading apostrophe, never a formula
		const hostile = proposed[1]['机构名称'];
		expect(hostile.type).toBe(ExcelJS.ValueType.String);
		expect(hostile.value).toBe(`'${MALICIOUS}`);
		expect(typeof hostile.value).toBe('string');
		expect(hostile.formula).toBeUndefined();
		const zip = await JSZip.loadAsync(buf);
		for (const f of zip.file(/xl\/worksheets\/sheet\d+\.xml/)) expect(await f.async('string')).not.toMatch(/<f[ >]/);

		const scores = rowsOf(wb.getWorksheet('评分汇总')!);
		const row = scores.find((r) => r['申报编号'].value === 'app-1' && r['专家编号'].value === 'exp-1')!;
		expect(row['培训规模（40分）'].value).toBe(36);
		expect(row['评分表合计'].value).toBe(90);
		expect(row['得分'].value).toBe(80);
		expect(row['排名'].value).toBe(1);
		expect(row['专家代号'].value).toBe('专家A');
		const declared = scores.find((r) => r['申报编号'].value === 'app-4' && r['专家编号'].value === 'exp-5')!;
		expect(declared['计入汇总'].value).toBe('否');
		expect(declared['不计原因'].value).toBe('专家本人声明回避');
		const app2 = scores.find((r) => r['申报编号'].value === 'app-2')!;
		expect(app2['会议决定'].value).toBe('不推荐');
		expect(app2['决定理由'].value).toBe('实地考察发现场地与申报不符');
		expect(app2['得分'].value).toBe(78.75);

		const work = rowsOf(wb.getWorksheet('专家工作量')!);
		expect(work.find((r) => r['专家编号'].value === 'exp-5')!['回避'].value).toBe(1);
		expect(work.map((r) => r['分配评审'].value)).toEqual([5, 5, 5, 2, 2]);

		const audit = rowsOf(wb.getWorksheet('审计日志')!);
		expect(audit[0]['操作'].value).toBe('bundle.import');
		expect(audit[0]['序号'].value).toBe(1);
		// Beijing time, as every page shows it (stored times are UTC).
		const at = db.select().from(s.auditLog).get()!.at;
		expect(audit[0]['时间（北京时间）'].value).toBe(new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '));
	});

	it('escapes every formula-like start', () => {
		expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(escapeCellText)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx"]);
		expect(['辽宁', '1=1', ' =x', ''].map(escapeCellText)).toEqual(['辽宁', '1=1', ' =x', '']);
	});
});

/* ---------- The command line ---------- */

describe('memo and export-xlsx commands', () => {
	it('write the files atomically and refuse bad --out with one line', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		expect((await cli(db, 'import', writeJson(dir, 'b.json', memoBundle()))).code).toBe(0);

		const memo = path.join(dir, '报告.docx');
		const ok = await cli(db, 'memo', '--out', memo);
		expect(ok.code).toBe(0);
		const { paragraphs: ps } = await docxParts(fs.readFileSync(memo));
		expect(ps).toContain(MEMO_TITLE);
		expect(ps.join('\n')).toContain('80.00');

		const xlsx = path.join(dir, 'results.xlsx');
		expect((await cli(db, 'export-xlsx', '--out', xlsx)).code).toBe(0);
		expect((await loadWorkbook(fs.readFileSync(xlsx))).worksheets).toHaveLength(4);
		expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

		for (const args of [
			['memo'],
			['memo', '--out', path.join(dir, 'x.pdf')],
			['memo', '--out', path.join(dir, 'missing', 'x.docx')],
			['export-xlsx', '--out', path.join(dir, 'x.docx')],
			['export-xlsx']
		]) {
			const r = await cli(db, ...args);
			expect(r.code, args.join(' ')).toBe(1);
			expect(r.stderr.split('\n')).toHaveLength(1);
			expect(r.stderr).toMatch(/^错误：.*[\u4e00-\u9fff]/);
		}
		// nothing written by the refused commands, no temporary file left behind
		expect(fs.readdirSync(dir).filter((f) => !f.startsWith('w.db')).sort()).toEqual(['b.json', 'results.xlsx', '报告.docx']);
	});
});

/* ---------- After the scores: 版头, 版记, grid, 附注, publicity, objections (issue 14, point 9) ---------- */

describe('memo as an upward document (GB/T 9704-2012) and what came after the scores', () => {
	const SETTINGS = {
		masthead: '辽宁省人力资源和社会保障厅',
		documentNo: '辽人社[2023]045号',
		signer: '张宏伟',
		copyTo: '人力资源社会保障部专业技术人员管理司。',
		printedBy: '辽宁省人力资源和社会保障厅办公室',
		printedOn: '2023-07-28'
	};

	/** The batch locked (with one unsigned report), its publicity closed, one objection answered and one open. */
	function afterScores() {
		const db = seeded();
		const scope = requireScope(db);
		saveMemoSettings(scope, SETTINGS, SYSTEM_ACTOR);
		const sheetId = db.select().from(s.sheets).where(and(eq(s.sheets.applicationId, 'app-2'), eq(s.sheets.expertId, 'exp-1'))).get()!.id;
		db.insert(s.scoreCorrections).values({ sheetId, criterionId: 'a', rule: 'OUT_OF_RANGE', oldValue: 43, newValue: 33, reason: '录入错误' }).run();
		db.insert(s.scoreCorrections).values({ sheetId, criterionId: null, rule: 'TOTAL_MISMATCH', oldValue: 92.5, newValue: 82.5, reason: '合计错误' }).run();
		db.insert(s.voteRounds).values({ applicationId: 'app-2', motion: 'not-proposed', closedAt: '2023-07-21T02:00:00.000Z', tally: { agree: 3, disagree: 1, abstain: 0, eligible: 4 } }).run();
		lockResults(requireScope(db), SYSTEM_ACTOR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
		// A round still open (locking refuses one, so it is written after the lock here; a draft memo of a batch in its meeting shows them).
		db.insert(s.voteRounds).values({ applicationId: 'app-1', motion: 'proposed' }).run();
		const lockEntry = db.$client.prepare("SELECT id, hash FROM audit_log WHERE action = 'results.lock' ORDER BY id DESC LIMIT 1").get() as { id: number; hash: string };
		db.update(s.batches)
			.set({
				lockNote: { reason: '专家戊出差在外，已书面确认同意', missing: [{ occupation: 'ai', type: 'training', expertIds: ['exp-5'] }] },
				publicityStart: '2023-07-24',
				publicityEnd: '2023-07-28',
				publicityDays: 5,
				publicityClosedAt: '2023-07-31T02:00:00.000Z'
			})
			.run();
		db.insert(s.objections)
			.values({ batchId: 'ln-2023-b2', applicationId: 'app-4', objectorKind: 'person', objectorName: '王某某', contact: '13900000000', grounds: '考评人员不足', receivedDate: '2023-07-25', status: 'closed', outcome: 'dismissed', outcomeNotes: '经原评审专家组复核，考评人员情况属实', repliedAt: '2023-07-27T02:00:00.000Z' })
			.run();
		db.insert(s.objections)
			.values({ batchId: 'ln-2023-b2', applicationId: 'app-1', objectorKind: 'unit', objectorName: '某某培训学校', contact: '024-12345678', grounds: '师资不实', receivedDate: '2023-07-26', status: 'accepted' })
			.run();
		return { db, lockEntry };
	}

	it('版头: 发文机关标志 in red, 发文字号 (normalised) left and 签发人 right on one line, the red rule', async () => {
		const { db } = afterScores();
		const data = buildMemoData(requireScope(db));
		expect(data.settings).toMatchObject({ documentNo: '辽人社〔2023〕45号', signer: '张宏伟' });
		const { document, paragraphs: ps } = await docxParts(await renderMemo(data));
		expect(ps[0]).toBe('辽宁省人力资源和社会保障厅');
		const masthead = [...document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)][0][0];
		expect(masthead).toContain('<w:color w:val="FF0000"/>');
		expect(masthead).toContain('w:eastAsia="方正小标宋简体"');
		expect(masthead).toContain('<w:jc w:val="center"/>');
		const line = [...document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes('签发人：'))!;
		expect(paragraphs(line)[0]).toBe('辽人社〔2023〕45号签发人：张宏伟');
		expect(line).toContain('<w:tab/>');
		expect(line).toMatch(/<w:tab w:val="right" w:pos="\d+"\/>/);
		expect(line).toMatch(/<w:bottom w:val="single" w:color="FF0000"/); // the red separator under it
		expect(line).toMatch(/w:eastAsia="楷体_GB2312"[^>]*\/>(<w:[^>]*>)*<w:sz w:val="32"\/>[\s\S]*张宏伟/); // the name in 3号 楷体
		expect(ps.indexOf('辽人社〔2023〕45号签发人：张宏伟')).toBeLessThan(ps.indexOf(MEMO_TITLE));
	});

	it('版记: 抄送 with its 。, 印发机关 and 印发日期 between thick and thin rules at the foot of the last page', async () => {
		const { db } = afterScores();
		const { document, paragraphs: ps } = await docxParts(await renderMemo(buildMemoData(requireScope(db))));
		expect(ps).toContain('抄送：人力资源社会保障部专业技术人员管理司。');
		expect(ps).toContain('辽宁省人力资源和社会保障厅办公室2023年7月28日印发');
		const tables = [...document.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
		const record = tables.at(-1)!;
		expect(record).toContain('抄送：');
		expect(record).toMatch(/<w:top w:val="single" w:color="000000" w:sz="8"\/>/); // 0.35 mm
		expect(record).toMatch(/<w:bottom w:val="single" w:color="000000" w:sz="8"\/>/);
		expect(record).toMatch(/<w:insideH w:val="single" w:color="000000" w:sz="6"\/>/); // 0.25 mm
		// anchored to the page so that its bottom rule lies on the type area's bottom edge
		const y = Number(/w:tblpY="(\d+)"/.exec(record)![1]);
		const heights = [...record.matchAll(/<w:trHeight w:val="(\d+)" w:hRule="exact"\/>/g)].reduce((h, m) => h + Number(m[1]), 0);
		expect(y + heights).toBe(PAGE.height - PAGE.bottom);
		// the last thing of the document
		expect(document.lastIndexOf('印发')).toBeGreaterThan(document.lastIndexOf('实地考察'));
	});

	it('28 characters a line, 22 lines a page: the grid and the character spacing', async () => {
		const { document } = await docxParts(await renderMemo(buildMemoData(requireScope(seeded()))));
		const zip = await JSZip.loadAsync(await renderMemo(buildMemoData(requireScope(seeded()))));
		const styles = await zip.file('word/styles.xml')!.async('string');
		const spacing = Number(/<w:rPrDefault><w:rPr>[\s\S]*?<w:spacing w:val="(-?\d+)"\/>/.exec(styles)![1]);
		expect(spacing).toBe(CHARACTER_SPACING);
		const width = PAGE.width - PAGE.left - PAGE.right; // 156 mm
		const pitch = 320 + spacing; // 三号 16 pt plus the spacing
		expect(Math.floor(width / pitch)).toBe(28);
		expect(Math.floor(width / 320)).toBe(27); // what it was without
		expect(characterSpacingFor(width, 28)).toBe(-5);
		const grids = [...document.matchAll(/<w:docGrid [^>]*\/>/g)].map((m) => m[0]);
		expect(grids).toHaveLength(3);
		for (const g of grids) expect(g).toMatch(/w:type="lines" w:linePitch="579"/);
	});

	it('page numbers on the landscape pages: turned with the page, outside the type area where the portrait bottom edge is', async () => {
		const buf = await renderMemo(buildMemoData(requireScope(seeded())));
		const zip = await JSZip.loadAsync(buf);
		const document = await zip.file('word/document.xml')!.async('string');
		const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
		const target = (id: string) => new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1];
		const sections = [...document.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
		const landscape = sections.find((x) => x.includes('w:orient="landscape"'))!;
		const refs = Object.fromEntries([...landscape.matchAll(/<w:footerReference w:type="(\w+)" r:id="(\w+)"\/>/g)].map((m) => [m[1], m[2]]));
		expect(Object.keys(refs).sort()).toEqual(['default', 'even']);
		const footer = async (type: string) => zip.file(`word/${target(refs[type])}`)!.async('string');
		const odd = await footer('default');
		const even = await footer('even');
		for (const f of [odd, even]) {
			expect(f).toContain('PAGE');
			expect(paragraphs(f).join('')).toBe('—  —');
			expect(f).toContain('<w:textDirection w:val="tbRl"/>');
			const x = Number(/w:tblpX="(\d+)"/.exec(f)![1]);
			expect(x).toBeLessThan(LANDSCAPE_MARGIN.left - mmToTwip(7)); // 7 mm outside the type area's (portrait bottom) edge
		}
		const y = (f: string) => Number(/w:tblpY="(\d+)"/.exec(f)![1]);
		expect(y(odd)).toBeGreaterThan(y(even)); // odd pages: the portrait right corner is the lower end here
		expect(odd).toContain('<w:jc w:val="right"/>');
		expect(even).toContain('<w:jc w:val="left"/>');
	});

	it('附注: the data hash and the audit head at locking (the results.lock entry), in parentheses after the date', async () => {
		const { db, lockEntry } = afterScores();
		const data = buildMemoData(requireScope(db));
		expect(data.lock.auditEntry).toEqual(lockEntry);
		const { paragraphs: ps } = await docxParts(await renderMemo(data));
		const at = ps.findIndex((p) => p.startsWith('（附注：'));
		expect(ps[at - 1]).toBe(chineseDate(data.dates.memoDate)); // the line after the date
		expect(ps[at]).toContain(`本报告所依据的评审结果数据摘要（SHA-256）：${data.hash}；`);
		expect(ps[at]).toContain(`评审结果锁定时审计日志末条记录（第 ${lockEntry.id} 条，结果锁定）签名：${lockEntry.hash}；`);
		expect(ps[at]).toMatch(/。）$/);
		// the lock entry's hash is what the locked hash was written with
		const detail = JSON.parse(db.$client.prepare('SELECT detail FROM audit_log WHERE id = ?').pluck().get(lockEntry.id) as string);
		expect(detail.hash).toBe(data.hash);
		// unlocked: no lock entry
		const unlocked = buildMemoData(requireScope(seeded()));
		expect(unlocked.lock.auditEntry).toBeNull();
		expect((await docxParts(await renderMemo(unlocked))).paragraphs.join('\n')).not.toContain('锁定时审计日志');
	});

	it('publicity, every objection with its outcome (objector by kind only), held groups marked, the lock note, corrections and votes', async () => {
		const { db } = afterScores();
		const data = buildMemoData(requireScope(db));
		expect(data.review).toEqual({ corrections: 2, correctedSheets: 1, voteRounds: 1, votedApplications: 1, openVoteRounds: 1 });
		expect(data.groups.find((g) => g.occupation === 'ai' && g.type === 'training')!.heldBy).toHaveLength(1);
		expect(data.groups.find((g) => g.occupation === 'iot')!.heldBy).toEqual([]);
		const { document, paragraphs: ps } = await docxParts(await renderMemo(data));
		const text = ps.join('\n');
		expect(ps).toContain('三、公示和异议处理情况');
		expect(text).toContain('评审结果于2023年7月24日至2023年7月28日进行了公示（5个工作日），公示期已结束。');
		expect(text).toContain('公示期间共收到实名异议2件，其中不成立1件，尚在处理中1件');
		expect(text).toContain('人工智能工程技术人员（培训机构）的拟推荐名单暂不确定');
		expect(ps).toContain('表4  异议处理情况');
		expect(text).toContain('异议不成立\n经原评审专家组复核，考评人员情况属实');
		expect(text).toContain('2023年7月27日'); // reply date
		expect(text).toContain('已受理\n正在处理，名单暂不确定');
		expect(ps).toContain('个人');
		expect(ps).toContain('单位');
		expect(document).not.toContain('王某某'); // never the objector's name
		expect(document).not.toContain('某某培训学校');
		expect(document).not.toContain('13900000000');
		// the held group is marked in the list and in 附件1
		expect(ps).toContain(`1．人工智能工程技术人员：拟推荐2家${HELD_MARK}`);
		expect(ps).toContain(`1．人工智能工程技术人员（3项）${HELD_MARK}`);
		expect(text).not.toContain(`物联网工程技术人员（1项）${HELD_MARK}`);
		// the lock note
		expect(text).toContain('评审结果锁定时，人工智能工程技术人员（培训机构）1名评审专家尚未在评审报告上签字，经书面说明理由后锁定。理由：专家戊出差在外，已书面确认同意。');
		// how the review was run: corrections and votes
		expect(ps).toContain('（四）评分复核和会议表决情况');
		expect(text).toContain('更正评分2处，涉及评分表1份');
		expect(text).toContain('评审会议对1项申报的推荐意见进行了表决（共1轮）');
		expect(text).toContain('另有1轮表决尚未结束。');
	});

	it('before publicity: locked says it is not yet publicised; unlocked leaves the section out', async () => {
		const db = seeded();
		const unlocked = (await docxParts(await renderMemo(buildMemoData(requireScope(db))))).paragraphs;
		expect(unlocked).not.toContain('三、公示和异议处理情况');
		expect(unlocked.join('\n')).toContain('评审会议未进行表决');
		expect(unlocked.join('\n')).toContain('未更正评分。');
		lockResults(requireScope(db), SYSTEM_ACTOR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
		const locked = (await docxParts(await renderMemo(buildMemoData(requireScope(db))))).paragraphs;
		expect(locked).toContain('三、公示和异议处理情况');
		expect(locked).toContain('评审结果尚未公示，公示情况和异议处理结果将另行报告。');
		expect(locked.join('\n')).not.toContain('暂不确定');
	});

	it('settings: validated and normalised, refused with nothing written, kept apart from the paragraphs, read-only when archived', () => {
		const db = seeded();
		const scope = requireScope(db);
		const audits = () => db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'memo.settings'").pluck().get();
		try {
			saveMemoSettings(scope, { ...SETTINGS, documentNo: '第45号' }, SYSTEM_ACTOR);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(Refusal);
			expect((e as Refusal).status).toBe(400);
			expect((e as Refusal).errors.documentNo).toMatch(/^发文字号：.*辽人社〔2023〕45号/);
		}
		expect(batchById(db, scope.batch.id)!.memo).toBeNull();
		expect(audits()).toBe(0);

		saveParagraphs(scope, { closing: '特此报告。' }, SYSTEM_ACTOR);
		saveMemoSettings(scope, SETTINGS, SYSTEM_ACTOR);
		expect(audits()).toBe(1);
		expect(batchById(db, scope.batch.id)!.memo).toMatchObject({ closing: '特此报告。', documentNo: '辽人社〔2023〕45号', copyTo: '人力资源社会保障部专业技术人员管理司' });
		saveParagraphs(scope, { intro: '现报告如下。' }, SYSTEM_ACTOR);
		const memo = batchById(db, scope.batch.id)!.memo!;
		expect(memo).toMatchObject({ intro: '现报告如下。', documentNo: '辽人社〔2023〕45号', signer: '张宏伟' });
		expect(memo.closing).toBeUndefined();
		// settings are not narrative paragraphs
		expect(buildMemoData(scope).customParagraphs).toEqual(['intro']);

		db.update(s.batches).set({ archivedAt: '2024-01-01T00:00:00.000Z' }).run();
		expect(() => saveMemoSettings(requireScope(db), SETTINGS, SYSTEM_ACTOR)).toThrow(/已归档/);
		expect(() => saveParagraphs(requireScope(db), { intro: 'x' }, SYSTEM_ACTOR)).toThrow(/已归档/);
	});
});
