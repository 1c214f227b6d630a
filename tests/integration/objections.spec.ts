/**
 * Publicity (公示) and the objection register (issue "After the scores", points 4 and 5): the period
 * on the official calendar with the office's own entries, closing and undoing a close, the notice
 * (.docx) with the proposed list, real-name registration, 受理 / 不予受理, handling, reply and
 * closing, attachments, the groups an open objection holds, and refusals that write nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { eq } from 'drizzle-orm';
import { memoryDb, openDatabase, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { SYSTEM_ACTOR, type Actor } from '../../src/lib/server/audit';
import { lockResults, reopenResults } from '../../src/lib/server/services/results';
import { requireScope, type BatchScope } from '../../src/lib/server/scope';
import { closePublicity, openPublicity, publicityNotice, publicityStatus, reopenPublicity } from '../../src/lib/server/services/publicity';
import { setCalendarDay, removeCalendarDay, calendarEntries, calendarYear } from '../../src/lib/server/services/calendar';
import {
	acceptObjection,
	addObjectionFile,
	closeObjection,
	fileObjection,
	objectionFile,
	recordHandling,
	recordReply,
	rejectObjection,
	replyLetter
} from '../../src/lib/server/services/objections';
import { objectionDetail, objectionList, publicityList } from '../../src/lib/server/queries/objections';
import { heldGroups, groupKey } from '../../src/lib/server/queries/held-groups';
import { cli, tempDir } from './helpers';
import { encryptPlaintextAtRest, reencryptAll } from '../../src/lib/server/personal-data';
import { requireKeys } from '../../src/lib/server/keys';

const OFFICE: Actor = { userId: null, name: 'office-test' };

/** The demo batch, locked. */
function world(): { db: Db; scope: () => BatchScope } {
	const db = memoryDb();
	importBundle(db, generateDemoBundle(), SYSTEM_ACTOR);
	lockResults(requireScope(db), SYSTEM_ACTOR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
	return { db, scope: () => requireScope(db) };
}

const auditCount = (db: Db) => db.select().from(s.auditLog).all().length;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function objection(appId: string, over: Record<string, unknown> = {}) {
	return { applicationId: appId, objectorKind: 'person', objectorName: '李某某', contact: '13912345678', grounds: '该机构申报的专职教师中有两人实为兼职，与申报材料不符。', receivedDate: '2023-10-09', ...over };
}

async function docxText(buf: Buffer): Promise<{ xml: string; text: string }> {
	const zip = await JSZip.loadAsync(buf);
	const xml = await zip.file('word/document.xml')!.async('string');
	const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
	return { xml, text };
}

describe('the publicity period', () => {
	it('opens on locked results only, counts the 调休 days, closes on or after its last day, and a close can be undone with a reason', () => {
		const { db, scope } = world();
		expect(openPublicity(scope(), { start: '2023-09-28' }, OFFICE)).toEqual({ start: '2023-09-28', end: '2023-10-10', workingDays: 5 });
		const st = publicityStatus(scope(), { today: '2023-10-09' });
		expect(st.state).toBe('open');
		expect(st.days).toEqual(['2023-09-28', '2023-10-07', '2023-10-08', '2023-10-09', '2023-10-10']);

		const before = auditCount(db);
		expect(() => closePublicity(scope(), OFFICE, { today: '2023-10-09' })).toThrow('最后一天起才能结束公示');
		expect(() => reopenPublicity(scope(), '误操作需撤销', OFFICE)).toThrow('尚未结束');
		expect(auditCount(db)).toBe(before);

		closePublicity(scope(), OFFICE, { today: '2023-10-10' });
		expect(publicityStatus(scope(), { today: '2023-10-11' }).state).toBe('closed');
		expect(() => closePublicity(scope(), OFFICE, { today: '2023-10-11' })).toThrow('已结束');
		expect(() => openPublicity(scope(), { start: '2023-10-12' }, OFFICE)).toThrow('请先填写理由撤销结束');
		expect(() => reopenPublicity(scope(), '误', OFFICE)).toThrow('不少于4个字');
		reopenPublicity(scope(), '结束过早，仍有书面异议在途', OFFICE);
		expect(publicityStatus(scope(), { today: '2023-10-11' }).state).toBe('due');
		const actions = db.select({ a: s.auditLog.action }).from(s.auditLog).orderBy(s.auditLog.id).all().map((r) => r.a);
		expect(actions.filter((a) => a.startsWith('publicity.'))).toEqual(['publicity.open', 'publicity.close', 'publicity.reopen']);

		// Results reopened: no new period until locked again.
		reopenResults(scope(), '异议成立需重新评议', OFFICE);
		expect(() => openPublicity(scope(), { start: '2023-10-12' }, OFFICE)).toThrow('尚未锁定');
	});

	it('counts on the office calendar: an entry for a year the package lacks moves the end; refused entries write nothing', () => {
		const { db, scope } = world();
		expect(calendarYear(db, 2027).packageKnows).toBe(false);
		expect(openPublicity(scope(), { start: '2027-09-30', days: 2 }, OFFICE).end).toBe('2027-10-01');
		setCalendarDay(db, OFFICE, { date: '2027-10-01', kind: 'holiday', name: '国庆节' });
		expect(openPublicity(scope(), { start: '2027-09-30', days: 2 }, OFFICE).end).toBe('2027-10-04');
		const before = auditCount(db);
		expect(() => setCalendarDay(db, OFFICE, { date: '2027-02-29', kind: 'holiday', name: 'x' })).toThrow('有效日期');
		expect(() => setCalendarDay(db, OFFICE, { date: '2027-10-02', kind: 'off', name: 'x' })).toThrow('放假或上班');
		expect(() => removeCalendarDay(db, OFFICE, '2027-10-05')).toThrow('没有该日期');
		expect(auditCount(db)).toBe(before);
		expect(calendarYear(db, 2027).days).toEqual([{ date: '2027-10-01', kind: 'holiday', name: '国庆节', source: 'office', packageKind: null }]);
		removeCalendarDay(db, OFFICE, '2027-10-01');
		expect(calendarEntries(db)).toEqual([]);
		expect(openPublicity(scope(), { start: '2027-09-30', days: 2 }, OFFICE).end).toBe('2027-10-01');
	});

	it('writes the 公示 notice with the proposed list per group, the period, how to object and the issuer', async () => {
		const { scope } = world();
		await expect(publicityNotice(scope(), { department: '人才开发处', phone: '024-12345678' })).rejects.toThrow('尚未开始公示');
		openPublicity(scope(), { start: '2023-09-28' }, OFFICE);
		await expect(publicityNotice(scope(), { department: '人才开发处', phone: '' })).rejects.toThrow('联系电话');
		const { body, filename } = await publicityNotice(scope(), { department: '辽宁省人力资源和社会保障厅人才开发处', phone: '024-12345678', address: '沈阳市和平区' });
		expect(filename).toMatch(/拟推荐名单的公示\.docx$/);
		const { xml, text } = await docxText(body);
		const list = publicityList(scope());
		const names = list.flatMap((g) => g.items.map((i) => i.institutionName));
		expect(names.length).toBeGreaterThan(0);
		for (const n of names) expect(text).toContain(n);
		for (const g of list) expect(text).toContain(`${g.occupationLabel}（${g.items.length}家）`);
		expect(text).toContain('公示时间：2023年9月28日至2023年10月10日（5个工作日）');
		expect(text).toContain('书面形式实名');
		expect(text).toContain('联系电话：024-12345678');
		expect(text).toContain('辽宁省人力资源和社会保障厅');
		expect(text).toContain('2023年9月28日');
		// A4 portrait, the memo's margins, the 28-character grid, 仿宋 body and 小标宋 title.
		expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
		expect(xml).toMatch(/<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-?\d+"/);
		const charSpace = Number(/w:charSpace="(-?\d+)"/.exec(xml)![1]);
		const pitch = 16 + charSpace / 4096;
		// The text width in the file (twips) holds exactly 28 characters of that pitch.
		const widthPt = (11906 - 1587 - 1474) / 20;
		expect(Math.floor(widthPt / pitch)).toBe(28);
		expect(xml).toContain('方正小标宋简体');
		const styles = await (await JSZip.loadAsync(body)).file('word/styles.xml')!.async('string');
		expect(styles).toContain('仿宋_GB2312');
	});
});

describe('the objection register', () => {
	function opened() {
		const w = world();
		openPublicity(w.scope(), { start: '2023-09-28' }, OFFICE);
		const list = publicityList(w.scope());
		const target = list[0].items[0];
		return { ...w, target, group: list[0].key };
	}

	it('needs an opened publicity, a real name and contact, a listed application and a date not before the period', () => {
		const { db, scope } = world();
		const target = publicityList(scope())[0].items[0];
		const before = auditCount(db);
		expect(() => fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' })).toThrow('尚未开始公示');
		openPublicity(scope(), { start: '2023-09-28' }, OFFICE);
		const mid = auditCount(db);
		expect(mid).toBe(before + 1);
		const refused = (over: Record<string, unknown>, pattern: string, appId = target.id) => {
			expect(() => fileObjection(scope(), objection(appId, over), OFFICE, { today: '2023-10-20' })).toThrow(pattern);
		};
		refused({ objectorName: '' }, '请填写异议人姓名或单位名称');
		refused({ contact: '' }, '请填写联系方式');
		refused({ objectorKind: '' }, '单位或个人');
		refused({ grounds: '不服' }, '不少于10个字');
		refused({ receivedDate: '2023-09-27' }, '早于公示开始日期');
		refused({ receivedDate: '2023-10-21' }, '不能晚于今天');
		const notListed = db.select({ id: s.applications.id }).from(s.applications).all().map((r) => r.id).find((id) => !publicityList(scope()).some((g) => g.items.some((i) => i.id === id)))!;
		refused({}, '不在本批次拟推荐（公示）名单中', notListed);
		expect(auditCount(db)).toBe(mid);
		expect(db.select().from(s.objections).all()).toEqual([]);
		// After the period: registered, flagged late.
		expect(fileObjection(scope(), objection(target.id, { receivedDate: '2023-10-12' }), OFFICE, { today: '2023-10-20' }).late).toBe(true);
		expect(fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-20' }).late).toBe(false);
	});

	it('received → accepted → handled → replied → closed; each step audited, out-of-order steps refused and write nothing', async () => {
		const { db, scope, target, group } = opened();
		const { id } = fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' });
		expect(heldGroups(scope()).get(group)).toEqual([id]);
		const before = auditCount(db);
		expect(() => closeObjection(scope(), id, OFFICE)).toThrow('待受理，不能办结');
		expect(() => recordHandling(scope(), id, { investigation: 'x' }, OFFICE)).toThrow('不能记录处理情况');
		expect(() => recordReply(scope(), id, { reply: '经核查，异议不成立。特此函复。' }, OFFICE)).toThrow('不能填写答复');
		expect(() => acceptObjection(scope(), 9999, {}, OFFICE)).toThrow('没有找到');
		expect(auditCount(db)).toBe(before);

		acceptObjection(scope(), id, { reason: '实名且有具体事实' }, OFFICE);
		expect(() => rejectObjection(scope(), id, { reason: '重复提交的异议' }, OFFICE)).toThrow('已受理');
		expect(() => closeObjection(scope(), id, OFFICE)).toThrow(/尚未填写调查核实情况.*尚未记录处理结论.*尚未填写书面答复/);
		expect(() => recordHandling(scope(), id, { investigation: '调取社保缴费记录', rereview: 'on', outcome: 'dismissed', outcomeNotes: '两人均为全职' }, OFFICE)).toThrow('请填写复审情况');
		recordHandling(scope(), id, { investigation: '调取了两名教师近12个月的社保缴费记录', rereview: 'on', rereviewNotes: '原评审组复核后维持原评分', outcome: 'dismissed', outcomeNotes: '两名教师均由该机构缴纳社保，为全职' }, OFFICE);
		expect(heldGroups(scope()).get(group)).toEqual([id]);
		expect(() => closeObjection(scope(), id, OFFICE)).toThrow('尚未填写书面答复');
		recordReply(scope(), id, { reply: '你于2023年10月9日提出的异议收悉。经核查，异议不成立。\n特此函复。' }, OFFICE);
		closeObjection(scope(), id, OFFICE);
		expect(heldGroups(scope()).has(group)).toBe(false);
		expect(() => recordReply(scope(), id, { reply: '再次答复的内容不少于十个字' }, OFFICE)).toThrow('已办结');

		const d = objectionDetail(scope(), id)!;
		expect(d.status).toBe('closed');
		expect(d.history.map((h) => h.action)).toEqual(['objection.file', 'objection.accept', 'objection.handle', 'objection.reply', 'objection.close']);
		// No personal data in the audit detail.
		for (const h of d.history) expect(h.detail ?? '').not.toMatch(/李某某|13912345678|兼职/);

		const letter = await replyLetter(scope(), id);
		const { text, xml } = await docxText(letter.body);
		expect(text).toContain('异议答复函');
		expect(text).toContain('李某某：');
		expect(text).toContain('经核查，异议不成立。');
		expect(text).toContain('特此函复。');
		expect(text).toContain('辽宁省人力资源和社会保障厅');
		expect(xml).toContain('w:docGrid');
	});

	it('不予受理 is final with its reason and may get a reply letter; it holds nothing', async () => {
		const { db, scope, target, group } = opened();
		const { id } = fileObjection(scope(), objection(target.id, { objectorName: '一群众', contact: '无法提供电话号码' }), OFFICE, { today: '2023-10-09' });
		await expect(replyLetter(scope(), id)).rejects.toThrow('尚未填写书面答复');
		const before = auditCount(db);
		expect(() => rejectObjection(scope(), id, { reason: '' }, OFFICE)).toThrow('不予受理理由');
		expect(auditCount(db)).toBe(before);
		rejectObjection(scope(), id, { reason: '未署真实姓名，联系方式无法核实' }, OFFICE);
		expect(heldGroups(scope()).has(group)).toBe(false);
		for (const step of [() => acceptObjection(scope(), id, {}, OFFICE), () => closeObjection(scope(), id, OFFICE), () => recordHandling(scope(), id, {}, OFFICE)]) expect(step).toThrow('不予受理');
		recordReply(scope(), id, { reply: '经审查，你所提意见未署真实姓名，决定不予受理。\n特此函复。' }, OFFICE);
		const { text } = await docxText((await replyLetter(scope(), id)).body);
		expect(text).toContain('决定不予受理');
		expect(objectionList(scope(), { status: 'rejected' }).map((o) => o.id)).toEqual([id]);
		expect(objectionList(scope(), { status: 'received' })).toEqual([]);
		expect(objectionList(scope(), { group }).map((o) => o.id)).toEqual([id]);
	});

	it('keeps the objector\'s contact SM4-encrypted at rest and reads it back; a key rotation re-encrypts it', () => {
		const { db, scope, target } = opened();
		const { id } = fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' });
		const stored = () => db.$client.prepare('SELECT contact FROM objections WHERE id = ?').pluck().get(id) as string;
		const first = stored();
		expect(first).toMatch(/^sm4:/);
		expect(first).not.toContain('13912345678');
		expect(objectionDetail(scope(), id)!.contact).toBe('13912345678');
		expect(objectionList(scope())[0].contact).toBe('13912345678');
		db.transaction((tx) => reencryptAll(tx, requireKeys(tx)));
		expect(stored()).toMatch(/^sm4:/);
		expect(stored()).not.toBe(first);
		expect(objectionDetail(scope(), id)!.contact).toBe('13912345678');
		// A plaintext contact (written before encryption at rest) is encrypted when the database opens.
		db.$client.prepare('UPDATE objections SET contact = ? WHERE id = ?').run('13912345678', id);
		expect(encryptPlaintextAtRest(db)).toBe(1);
		expect(stored()).toMatch(/^sm4:/);
	});

	it('stores PDF/PNG/JPEG attachments by content, refuses anything else, and serves them only within the batch', () => {
		const { db, scope, target } = opened();
		const dir = tempDir();
		const { id } = fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' });
		const row = addObjectionFile(scope(), id, { name: '../../证明材料.exe', bytes: new Uint8Array(PDF) }, OFFICE, { dir });
		expect(row.mime).toBe('application/pdf');
		expect(row.filename).toBe('证明材料.exe.pdf');
		expect(fs.readFileSync(path.join(dir, row.sha256))).toEqual(PDF);
		const before = auditCount(db);
		expect(() => addObjectionFile(scope(), id, { name: 'x.pdf', bytes: new TextEncoder().encode('<html><script>alert(1)</script>') }, OFFICE, { dir })).toThrow('不是 PDF、JPEG 或 PNG');
		expect(() => addObjectionFile(scope(), id, { name: 'big.pdf', bytes: new Uint8Array(PDF), size: 11 * 1024 * 1024 }, OFFICE, { dir })).toThrow('超过 10 MB');
		expect(() => addObjectionFile(scope(), id, null, OFFICE, { dir })).toThrow('请选择要上传的文件');
		expect(auditCount(db)).toBe(before);
		expect(db.select().from(s.objectionFiles).all()).toHaveLength(1);
		expect(objectionFile(scope(), id, row.id, dir)?.row.id).toBe(row.id);
		expect(objectionFile(scope(), id + 1, row.id, dir)).toBeNull();
		expect(objectionFile(scope(), id, '../etc/passwd', dir)).toBeNull();
		// Another batch's scope does not find it.
		const other = { db, batch: { ...scope().batch, id: 'other-batch' } };
		expect(objectionFile(other, id, row.id, dir)).toBeNull();
		expect(objectionDetail(other, id)).toBeUndefined();
		// A rejected objection takes no more files.
		rejectObjection(scope(), id, { reason: '超出受理范围的意见' }, OFFICE);
		expect(() => addObjectionFile(scope(), id, { name: 'y.pdf', bytes: new Uint8Array(PDF) }, OFFICE, { dir })).toThrow('不予受理，不能补充材料');
	});

	it('an archived batch refuses every change', () => {
		const { db, scope, target } = opened();
		const { id } = fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' });
		db.update(s.batches).set({ archivedAt: new Date().toISOString() }).where(eq(s.batches.id, scope().batch.id)).run();
		const before = auditCount(db);
		expect(() => acceptObjection(scope(), id, {}, OFFICE)).toThrow('已归档');
		expect(() => fileObjection(scope(), objection(target.id), OFFICE, { today: '2023-10-09' })).toThrow('已归档');
		expect(auditCount(db)).toBe(before);
	});
});

describe('the command line counts on the office calendar too', () => {
	it('publicity open uses the office entries stored in the settings', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'cal.db');
		const bundle = path.join(dir, 'b.json');
		fs.writeFileSync(bundle, JSON.stringify(generateDemoBundle()));
		expect((await cli(file, 'import', bundle)).code).toBe(0);
		expect((await cli(file, 'lock', '--reason', '按现有评分锁定')).code).toBe(0);
		const before = await cli(file, 'publicity', 'open', '--start', '2027-09-30', '--days', '2', '--json');
		expect(JSON.parse(before.stdout)).toEqual({ start: '2027-09-30', end: '2027-10-01', workingDays: 2 });
		const db = openDatabase(file);
		try {
			setCalendarDay(db, OFFICE, { date: '2027-10-01', kind: 'holiday', name: '国庆节' });
		} finally {
			db.$client.close();
		}
		const after = await cli(file, 'publicity', 'open', '--start', '2027-09-30', '--days', '2', '--json');
		expect(JSON.parse(after.stdout)).toEqual({ start: '2027-09-30', end: '2027-10-04', workingDays: 2 });
	}, 60_000);
});
