/**
 * The review report (评审报告, issue 14 point 3) and the signature gate on locking (point 6):
 * its content per group; members sign in the app (同意, or a dissent that needs reasons), only the
 * report of their own group; the office records paper signatures; a change of content makes a
 * signature stale; locking with signatures missing needs a written reason — through the service and
 * through `lock` — stored in the lock note, printed in the report's .docx with the dissents.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import * as s from '../../src/lib/server/db/schema';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { requireScope } from '../../src/lib/server/scope';
import { reportGroup, reportGroups } from '../../src/lib/server/queries/review-report';
import { ReportError, digestCode, recordPaperSignature, signReport } from '../../src/lib/server/services/review-report';
import { lockResults, reopenResults } from '../../src/lib/server/services/results';
import { renderReport } from '../../src/lib/server/export/review-report-docx';
import { Refusal } from '../../src/lib/server/refusal';
import { currentRubric } from '../../src/lib/server/services/scoring';
import { OFFICE, actorFor, auditActions, scoringBundle, scoringDb } from './scoring-fixture';
import { cli, tempDir, writeJson } from './helpers';
import path from 'node:path';

const AI = { occupation: 'ai', type: 'training' } as const;
const DISSENT = '申报单位乙的师资证明材料不足，评分偏高，不同意拟推荐。';

function refused(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('未被拒绝');
}

/** The accounts the signatures name (user ids of actorFor and OFFICE). */
function withUsers(db: Db): Db {
	db.insert(s.users).values({ id: 'u-office', username: 'office', displayName: '省厅', role: 'office', passwordHash: 'x' }).run();
	for (const e of ['exp-1', 'exp-2', 'exp-3']) db.insert(s.users).values({ id: `u-${e}`, username: e, displayName: e, role: 'expert', expertId: e, passwordHash: 'x' }).run();
	return db;
}
const world = () => withUsers(scoringDb());

const signatures = (db: Db) => db.select().from(s.reportSignatures).all();
const batchRow = (db: Db) => db.select().from(s.batches).get()!;

/** Both groups fully signed in the app. */
function signAll(db: Db) {
	for (const e of ['exp-1', 'exp-2', 'exp-3']) signReport(requireScope(db), e, { ...AI, kind: 'agree' }, actorFor(e));
	signReport(requireScope(db), 'exp-1', { occupation: 'iot', type: 'evaluation', kind: 'agree' }, actorFor('exp-1'));
}

async function documentXml(db: Db, occupation: string, type: string): Promise<string> {
	const g = reportGroup(requireScope(db), occupation, type)!;
	const buf = await renderReport(g, { batchName: '辽宁省第二批', expertNames: { 'exp-1': '专家甲', 'exp-2': '专家乙', 'exp-3': '专家丙' }, generatedAt: new Date() });
	const zip = await JSZip.loadAsync(buf);
	return zip.file('word/document.xml')!.async('string');
}

describe('the review report of a group', () => {
	it('reports the panel, recusals, replacements, corrections, votes and opinions, and who must sign', () => {
		const db = world();
		db.insert(s.invitations).values({ batchId: 'ln-2023-b2', expertId: 'exp-3', status: 'confirmed' }).run();
		db.insert(s.replacements).values({ applicationId: 'app-2', fromExpertId: 'exp-3', toExpertId: 'exp-2', cause: 'manual', reason: '专业不对口', userId: null }).run();
		const sheet = db.insert(s.sheets).values({ applicationId: 'app-1', expertId: 'exp-2', rubricId: currentRubric(requireScope(db), 'training').id, status: 'submitted' }).returning().get();
		db.insert(s.scoreCorrections).values({ sheetId: sheet.id, criterionId: null, rule: 'TOTAL_MISMATCH', oldValue: 88, newValue: 86, reason: '纸质表合计抄错', userId: null }).run();
		const round = db.insert(s.voteRounds).values({ applicationId: 'app-2', motion: 'not-proposed', closedAt: '2023-07-10T02:00:00.000Z', tally: { agree: 2, disagree: 0, abstain: 0, eligible: 2 } }).returning().get();
		db.insert(s.voteRounds).values({ applicationId: 'app-1', motion: 'proposed' }).run(); // still open: not reported
		db.insert(s.reviewOpinions).values({ applicationId: 'app-1', text: '培训体系完整，师资力量较强。' }).run();

		const g = reportGroup(requireScope(db), 'ai', 'training')!;
		expect(g.content.members.map((m) => [m.expertId, m.applications, m.recused, m.mustSign])).toEqual([
			['exp-1', 3, 1, true],
			['exp-2', 3, 0, true],
			['exp-3', 1, 0, true]
		]);
		expect(g.content.recusals).toEqual([expect.objectContaining({ applicationId: 'app-5', expertId: 'exp-1', code: 'DECLARED', reason: '近三年曾在该单位兼职' })]);
		expect(g.content.replacements).toEqual([expect.objectContaining({ applicationId: 'app-2', fromName: '专家丙', toName: '专家乙', cause: 'manual', reason: '专业不对口' })]);
		expect(g.content.corrections).toEqual([expect.objectContaining({ applicationId: 'app-1', expertName: '专家乙', rule: 'TOTAL_MISMATCH', oldValue: 88, newValue: 86 })]);
		expect(g.content.votes).toEqual([expect.objectContaining({ applicationId: 'app-2', tally: round.tally })]);
		expect(g.content.opinions.map((o) => o.text)).toEqual(['培训体系完整，师资力量较强。']);
		expect(g.content.results.map((r) => r.applicationId).sort()).toEqual(['app-1', 'app-2', 'app-4', 'app-5']);
		expect(g.status.missing).toEqual(['exp-1', 'exp-2', 'exp-3']);

		// An expert who declined is not on the panel that signs.
		db.update(s.invitations).set({ status: 'declined' }).where(eq(s.invitations.expertId, 'exp-3')).run();
		expect(reportGroup(requireScope(db), 'ai', 'training')!.status.missing).toEqual(['exp-1', 'exp-2']);
		expect(reportGroups(requireScope(db)).map((x) => `${x.occupation}|${x.type}`)).toEqual(['ai|training', 'iot|evaluation']);
	});
});

describe('signing', () => {
	it('a member signs their own group: 同意, or a dissent with reasons; time recorded and audited; may sign again', () => {
		const db = world();
		const before = Date.now();
		signReport(requireScope(db), 'exp-1', { ...AI, kind: 'agree' }, actorFor('exp-1'));
		const [row] = signatures(db);
		expect(row).toMatchObject({ expertId: 'exp-1', kind: 'agree', method: 'app', dissent: null, userId: 'u-exp-1', digest: reportGroup(requireScope(db), 'ai', 'training')!.digest });
		expect(Date.parse(row.signedAt)).toBeGreaterThanOrEqual(before - 1000);

		// A dissent needs reasons.
		for (const dissent of ['', '不同意。']) {
			const e = refused(() => signReport(requireScope(db), 'exp-3', { ...AI, kind: 'dissent', dissent }, actorFor('exp-3')));
			expect(e).toBeInstanceOf(ReportError);
			expect(e.field).toBe('dissent');
		}
		expect(signatures(db)).toHaveLength(1);
		signReport(requireScope(db), 'exp-3', { ...AI, kind: 'dissent', dissent: DISSENT }, actorFor('exp-3'));
		// Signing again replaces the signature.
		signReport(requireScope(db), 'exp-1', { ...AI, kind: 'dissent', dissent: DISSENT }, actorFor('exp-1'));
		const g = reportGroup(requireScope(db), 'ai', 'training')!;
		expect(g.status.dissents.map((d) => [d.expertId, d.dissent])).toEqual([
			['exp-1', DISSENT],
			['exp-3', DISSENT]
		]);
		expect(g.status.missing).toEqual(['exp-2']);
		expect(auditActions(db).filter((a) => a === 'report.sign')).toHaveLength(3);
	});

	it('only the report of the own group: another group, an unknown group and a bad kind are refused, nothing written', () => {
		const db = world();
		// exp-3 is on the ai panel only.
		expect(refused(() => signReport(requireScope(db), 'exp-3', { occupation: 'iot', type: 'evaluation', kind: 'agree' }, actorFor('exp-3'))).status).toBe(403);
		// Recused from every application of a group: not on the panel that signs (exp-1 on app-5 alone is not such a case).
		expect(refused(() => signReport(requireScope(db), 'exp-1', { occupation: 'bigdata', type: 'training', kind: 'agree' }, actorFor('exp-1'))).status).toBe(404);
		expect(refused(() => signReport(requireScope(db), 'exp-1', { occupation: 'nonsense', type: 'training', kind: 'agree' }, actorFor('exp-1'))).field).toBe('occupation');
		expect(refused(() => signReport(requireScope(db), 'exp-1', { ...AI, kind: 'maybe' }, actorFor('exp-1'))).field).toBe('kind');
		expect(signatures(db)).toEqual([]);
		expect(auditActions(db)).not.toContain('report.sign');
	});

	it('a change of the content after signing makes the signature stale: it counts as missing', () => {
		const db = world();
		signAll(db);
		expect(reportGroups(requireScope(db)).every((g) => g.status.complete)).toBe(true);
		db.insert(s.reviewOpinions).values({ applicationId: 'app-2', text: '材料不完整。' }).run();
		const g = reportGroup(requireScope(db), 'ai', 'training')!;
		expect(g.status.complete).toBe(false);
		expect(g.status.stale).toEqual(['exp-1', 'exp-2', 'exp-3']);
		expect(g.status.missing).toEqual(['exp-1', 'exp-2', 'exp-3']);
		// The other group did not change.
		expect(reportGroup(requireScope(db), 'iot', 'evaluation')!.status.complete).toBe(true);
	});

	it('the office records a signature from the printed page, with its date and the check code printed on it', () => {
		const db = world();
		const g = reportGroup(requireScope(db), 'ai', 'training')!;
		const paper = { ...AI, expertId: 'exp-2', kind: 'agree', date: '2023-07-10', code: digestCode(g.digest) };
		expect(refused(() => recordPaperSignature(requireScope(db), { ...paper, code: '00000000' }, OFFICE, '2023-07-11')).field).toBe('code');
		expect(refused(() => recordPaperSignature(requireScope(db), { ...paper, date: '2023-07-12' }, OFFICE, '2023-07-11')).field).toBe('date');
		expect(refused(() => recordPaperSignature(requireScope(db), { ...paper, expertId: 'exp-9' }, OFFICE, '2023-07-11')).field).toBe('expertId');
		expect(refused(() => recordPaperSignature(requireScope(db), { ...paper, kind: 'dissent', dissent: '' }, OFFICE, '2023-07-11')).field).toBe('dissent');
		expect(signatures(db)).toEqual([]);
		recordPaperSignature(requireScope(db), paper, OFFICE, '2023-07-11');
		expect(signatures(db)).toEqual([expect.objectContaining({ expertId: 'exp-2', method: 'paper', signedAt: '2023-07-10', userId: 'u-office', digest: g.digest })]);
		expect(auditActions(db)).toContain('report.paper');
	});
});

describe('the signature gate on locking', () => {
	it('refuses to lock without a reason while signatures are missing; with one, stores and prints the lock note; reopening clears it', async () => {
		const db = world();
		signReport(requireScope(db), 'exp-3', { ...AI, kind: 'dissent', dissent: DISSENT }, actorFor('exp-3'));
		for (const reason of [undefined, '', '好']) {
			const e = refused(() => lockResults(requireScope(db), OFFICE, { confirmed: true, reason }));
			expect(e.field).toBe('reason');
			expect(e.message).toContain('专家甲');
			expect(e.message).toContain('专家乙');
			expect(e.message).not.toContain('专家丙');
		}
		expect(batchRow(db).resultsLockedAt).toBeNull();
		expect(batchRow(db).lockNote).toBeNull();

		const reason = '专家乙因病未能到会，纸质签字页随后补交';
		lockResults(requireScope(db), OFFICE, { confirmed: true, reason });
		expect(batchRow(db).lockNote).toEqual({
			reason,
			missing: [
				{ occupation: 'ai', type: 'training', expertIds: ['exp-1', 'exp-2'] },
				{ occupation: 'iot', type: 'evaluation', expertIds: ['exp-1'] }
			]
		});
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'results.lock')).get()!;
		expect(JSON.parse(entry.detail!)).toMatchObject({ reason, unsigned: batchRow(db).lockNote!.missing });

		// Printed in the report, with the dissent and its reasons and the signature page.
		const g = reportGroup(requireScope(db), 'ai', 'training')!;
		expect(g.content.lockNote).toMatchObject({ reason, missingExpertIds: ['exp-1', 'exp-2'] });
		const xml = await documentXml(db, 'ai', 'training');
		for (const text of [reason, DISSENT, '锁定说明', '专家甲、专家乙', '评审专家签字页', '近三年曾在该单位兼职', digestCode(g.digest)]) expect(xml, text).toContain(text);

		// Nobody signs a locked report.
		expect(refused(() => signReport(requireScope(db), 'exp-1', { ...AI, kind: 'agree' }, actorFor('exp-1'))).status).toBe(409);
		reopenResults(requireScope(db), '补签评审报告', OFFICE);
		expect(batchRow(db).lockNote).toBeNull();
		const reopen = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'results.reopen')).get()!;
		expect(JSON.parse(reopen.detail!).previousLockNote.reason).toBe(reason);
	});

	it('locks without a reason when every report is signed (no lock note); a stale signature asks again', async () => {
		const db = world();
		signAll(db);
		db.insert(s.reviewOpinions).values({ applicationId: 'app-3', text: '考核体系健全。' }).run();
		const e = refused(() => lockResults(requireScope(db), OFFICE, { confirmed: true }));
		expect(e.message).toContain('专家甲（报告已变更）');
		signReport(requireScope(db), 'exp-1', { occupation: 'iot', type: 'evaluation', kind: 'agree' }, actorFor('exp-1'));
		lockResults(requireScope(db), OFFICE, { confirmed: true });
		expect(batchRow(db).resultsLockedAt).not.toBeNull();
		expect(batchRow(db).lockNote).toBeNull();
		const xml = await documentXml(db, 'iot', 'evaluation');
		expect(xml).toContain('系统内已签字');
		expect(xml).not.toContain('锁定说明');
	});

	it('through the command line: exit 1 naming the missing signatures without --reason; with it, locked and recorded', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'r.db');
		expect((await cli(file, 'import', writeJson(dir, 'b.json', scoringBundle()))).code).toBe(0);
		const db = openDatabase(file);
		try {
			withUsers(db);
			db.update(s.batches).set({ assignmentsPublishedAt: new Date().toISOString() }).run();
			signReport(requireScope(db), 'exp-2', { ...AI, kind: 'agree' }, actorFor('exp-2'));
			const refusedLock = await cli(file, 'lock');
			expect(refusedLock.code).toBe(1);
			expect(refusedLock.stderr).toContain('评审报告尚未全部签字');
			expect(refusedLock.stderr).toContain('人工智能工程技术人员·培训机构：专家甲、专家丙');
			expect(refusedLock.stderr).toContain('--reason');
			expect(batchRow(db).resultsLockedAt).toBeNull();
			// A reason too short for unsigned reports is refused too.
			expect((await cli(file, 'lock', '--reason', '锁')).code).toBe(1);

			const locked = await cli(file, 'lock', '--reason', '两位专家的签字页另行补交', '--json');
			expect(locked.code).toBe(0);
			const out = JSON.parse(locked.stdout);
			expect(out).toEqual({ locked: true, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
			expect(batchRow(db).lockNote).toEqual({
				reason: '两位专家的签字页另行补交',
				missing: [
					{ occupation: 'ai', type: 'training', expertIds: ['exp-1', 'exp-3'] },
					{ occupation: 'iot', type: 'evaluation', expertIds: ['exp-1'] }
				]
			});
		} finally {
			db.$client.close();
		}
	}, 60_000);
});
