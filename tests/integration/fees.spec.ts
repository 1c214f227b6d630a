/**
 * The meeting's days and attendance, the fee standard and the 劳务费签领表 against a migrated
 * database: validation (nothing written on a refusal), audit, the phase, the batch scope, the
 * workbook's totals and formats, masked ID numbers for everyone but the office, and the experts'
 * ID number on the office's form (SM4-sealed with its digest).
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { requireScope, type BatchScope } from '../../src/lib/server/scope';
import { Refusal } from '../../src/lib/server/refusal';
import { addMeetingDay, exportFeeWorkbook, removeMeetingDay, saveAttendance, setFeeStandard, updateMeetingDay } from '../../src/lib/server/services/fees';
import { attendanceOf, feeSheet, meetingRoster } from '../../src/lib/server/queries/fees';
import { renderFeeWorkbook } from '../../src/lib/server/export/fees-xlsx';
import { seedMeetingAttendance, demoIdNumber } from '../../src/lib/server/demo/fees';
import { ExpertFormError, importExpertsFromWorkbook, updateExpert } from '../../src/lib/server/services/experts';
import { renderExpertWorkbook } from '../../src/lib/server/import/experts-xlsx';
import { loadExperts } from '../../src/lib/server/queries/bundle';
import { requireKeys } from '../../src/lib/server/keys';
import { decryptValue, encryptPlaintextAtRest, idNumberDigest, reencryptAll } from '../../src/lib/server/personal-data';
import { isValidIdNumber, maskIdNumber } from '../../src/lib/domain/identifiers';
import { seesPersonalData } from '../../src/lib/domain/permissions';
import { OFFICE, auditActions, lastAudit, world } from './draw-world';

const ID_E1 = '110105197003150042';
const ID_E2 = '210102198001011232';

function refused(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('expected a Refusal');
}

/** The draw world with e1–e5 assigned (e4 a 讲师, e5 with a formula-like name) and ID numbers for e1, e2. */
function meetingWorld(): { db: Db; scope: BatchScope } {
	const db = world();
	for (const e of ['e1', 'e2', 'e3', 'e4']) db.insert(s.assignments).values({ applicationId: 'app-a', expertId: e, source: 'manual' }).run();
	db.insert(s.assignments).values({ applicationId: 'app-c', expertId: 'i1', source: 'manual' }).run();
	db.update(s.experts).set({ title: '讲师' }).where(eq(s.experts.id, 'e4')).run();
	db.update(s.experts).set({ title: '工程师', name: '=HYPERLINK("x")' }).where(eq(s.experts.id, 'i1')).run();
	const form = (id: string, idNumber: string) => {
		const e = loadExperts(db).find((x) => x.id === id)!;
		updateExpert(db, id, { name: e.name, workUnit: e.workUnit ?? '', title: e.title ?? '', occupations: e.occupations, region: e.region ?? '', phone: e.phone ?? '', email: e.email ?? '', idNumber }, OFFICE);
	};
	form('e1', ID_E1);
	form('e2', ID_E2);
	return { db, scope: requireScope(db) };
}

const count = (db: Db, table: typeof s.attendance | typeof s.meetingDays | typeof s.auditLog) => db.select({ n: sql<number>`count(*)` }).from(table).get()!.n;

describe('meeting days', () => {
	it('adds real dates once per batch, audited; refuses bad input naming the field and writes nothing', () => {
		const { db, scope } = meetingWorld();
		const id = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1', note: '集中评审' });
		expect(lastAudit(db)).toMatchObject({ action: 'meeting.day.add', entityId: String(id), detail: { date: '2023-07-11', length: 1 } });
		const audits = count(db, s.auditLog);
		for (const [input, field, message] of [
			[{ date: '2023-02-29', length: '1' }, 'date', /会议日期应为真实日期/],
			[{ date: '2023/07/12', length: '1' }, 'date', /会议日期应为真实日期/],
			[{ date: '', length: '1' }, 'date', /请填写会议日期/],
			[{ date: '2023-07-12', length: '2' }, 'length', /会期应为全天或半天/],
			[{ date: '2023-07-11', length: '0.5' }, 'date', /2023-07-11 已经登记过/]
		] as const) {
			const r = refused(() => addMeetingDay(scope, OFFICE, input));
			expect(r.errors[field], JSON.stringify(input)).toMatch(message);
		}
		expect(count(db, s.meetingDays)).toBe(1);
		expect(count(db, s.auditLog)).toBe(audits);
		updateMeetingDay(scope, OFFICE, String(id), { length: '0.5', note: '' });
		expect(lastAudit(db)).toMatchObject({ action: 'meeting.day.update', detail: { from: 1, length: 0.5 } });
	});

	it('removes a day of the batch with its attendance; a day of another batch is not found', () => {
		const { db, scope } = meetingWorld();
		const id = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		saveAttendance(scope, OFFICE, [{ dayId: id, expertId: 'e1', status: 'present' }]);
		const other = secondBatch(db);
		expect(refused(() => removeMeetingDay(other, OFFICE, String(id))).status).toBe(404);
		expect(removeMeetingDay(scope, OFFICE, String(id))).toBe(1);
		expect(count(db, s.attendance)).toBe(0);
		expect(lastAudit(db)).toMatchObject({ action: 'meeting.day.remove', detail: { date: '2023-07-11', attendance: 1 } });
	});
});

/** A second batch in the same database (the expert pool is shared). */
function secondBatch(db: Db): BatchScope {
	const first = requireScope(db).batch;
	db.insert(s.batches).values({ id: 'b-next', name: '第三批', closedEvaluationOccupations: [], quotas: first.quotas, aggregation: first.aggregation }).run();
	return requireScope(db, 'b-next');
}

describe('attendance', () => {
	it('records the roster’s attendance, audited with ids and statuses only; an unchanged save writes nothing', () => {
		const { db, scope } = meetingWorld();
		expect(meetingRoster(scope).map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'i1']);
		const d1 = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		const n = saveAttendance(scope, OFFICE, [
			{ dayId: String(d1), expertId: 'e1', status: 'present' },
			{ dayId: String(d1), expertId: 'e2', status: 'half' },
			{ dayId: String(d1), expertId: 'e3', status: 'left-early', note: '提前离会' },
			{ dayId: String(d1), expertId: 'e4', status: '' }
		]);
		expect(n).toBe(3);
		const a = lastAudit(db);
		expect(a.action).toBe('meeting.attendance');
		expect(a.detail.changes).toEqual([
			{ date: '2023-07-11', expertId: 'e1', from: null, to: 'present' },
			{ date: '2023-07-11', expertId: 'e2', from: null, to: 'half' },
			{ date: '2023-07-11', expertId: 'e3', from: null, to: 'left-early' }
		]);
		expect(JSON.stringify(a.detail)).not.toContain(ID_E1);
		const audits = count(db, s.auditLog);
		expect(saveAttendance(scope, OFFICE, [{ dayId: d1, expertId: 'e1', status: 'present' }])).toBe(0);
		expect(count(db, s.auditLog)).toBe(audits);
		// Clearing a cell removes the record; a cell without a note keeps the stored note.
		saveAttendance(scope, OFFICE, [
			{ dayId: d1, expertId: 'e1', status: '' },
			{ dayId: d1, expertId: 'e3', status: 'removed' }
		]);
		expect(attendanceOf(scope).map((x) => [x.expertId, x.status, x.note])).toEqual([
			['e2', 'half', null],
			['e3', 'removed', '提前离会']
		]);
	});

	it('refuses a day of another batch, an expert not on the roster, a bad status — every bad cell named, nothing written', () => {
		const { db, scope } = meetingWorld();
		const d1 = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		const other = secondBatch(db);
		const foreignDay = addMeetingDay(other, OFFICE, { date: '2024-07-11', length: '1' });
		const before = { attendance: count(db, s.attendance), audit: count(db, s.auditLog) };
		const r = refused(() =>
			saveAttendance(scope, OFFICE, [
				{ dayId: d1, expertId: 'e1', status: 'present' },
				{ dayId: foreignDay, expertId: 'e2', status: 'present' },
				{ dayId: d1, expertId: 'e5', status: 'present' },
				{ dayId: d1, expertId: 'nobody', status: 'present' },
				{ dayId: d1, expertId: 'e3', status: 'asleep' },
				{ dayId: 'x', expertId: 'e3', status: 'present' }
			])
		);
		expect(r.status).toBe(400);
		expect(r.message).toMatch(/^有 5 处出席记录无效/);
		expect(r.errors[`a:${foreignDay}:e2`]).toBe(`会议日 ${foreignDay} 不属于本批次`);
		expect(r.errors[`a:${d1}:e5`]).toBe('专家 e5 不在本批次的评审专家名单中');
		expect(r.errors[`a:${d1}:nobody`]).toMatch(/不在本批次的评审专家名单中/);
		expect(r.errors[`a:${d1}:e3`]).toMatch(/^甲三 2023-07-11 的出席情况无效/);
		expect(r.errors['a:x:e3']).toMatch(/不属于本批次/);
		expect(count(db, s.attendance)).toBe(before.attendance);
		expect(count(db, s.auditLog)).toBe(before.audit);
		// The other batch's roster is empty: nobody can be marked there.
		expect(refused(() => saveAttendance(other, OFFICE, [{ dayId: foreignDay, expertId: 'e1', status: 'present' }])).errors[`a:${foreignDay}:e1`]).toMatch(/名单/);
	});

	it('an archived batch is read-only: days, attendance and the standard are refused with 已归档', () => {
		const { db, scope } = meetingWorld();
		const d1 = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		db.update(s.batches).set({ archivedAt: new Date().toISOString() }).run();
		const before = { attendance: count(db, s.attendance), days: count(db, s.meetingDays), audit: count(db, s.auditLog) };
		for (const fn of [
			() => addMeetingDay(scope, OFFICE, { date: '2023-07-12', length: '1' }),
			() => removeMeetingDay(scope, OFFICE, String(d1)),
			() => saveAttendance(scope, OFFICE, [{ dayId: d1, expertId: 'e1', status: 'present' }]),
			() => setFeeStandard(scope, OFFICE, { senior: '1800', other: '1000' })
		]) {
			const r = refused(fn);
			expect(r.status).toBe(409);
			expect(r.message).toMatch(/已归档/);
		}
		expect({ attendance: count(db, s.attendance), days: count(db, s.meetingDays), audit: count(db, s.auditLog) }).toEqual(before);
	});
});

describe('the fee standard', () => {
	it('is set within the ranges and audited; out of range it is refused naming the field, and nothing changes', () => {
		const { db, scope } = meetingWorld();
		expect(feeSheet(scope, { fullIds: true }).standard).toEqual({ senior: 1500, other: 900 });
		const r = refused(() => setFeeStandard(scope, OFFICE, { senior: '2500', other: '1000' }));
		expect(r.errors.senior).toBe('高级职称人员标准（元/人天）应在 1500–2400 元之间（财科教〔2017〕128号）');
		expect(refused(() => setFeeStandard(scope, OFFICE, { senior: '1800', other: '800' })).errors.other).toMatch(/^其他专业人员标准（元\/人天）应在 900–1500 元之间/);
		expect(refused(() => setFeeStandard(scope, OFFICE, { senior: '1800' })).errors.other).toMatch(/^请填写其他专业人员标准/);
		expect(db.select().from(s.batches).get()!.feeStandard).toBeNull();
		setFeeStandard(scope, OFFICE, { senior: '1800', other: '1000.50' });
		expect(db.select().from(s.batches).get()!.feeStandard).toEqual({ senior: 1800, other: 1000.5 });
		expect(lastAudit(db)).toMatchObject({ action: 'fees.standard', detail: { from: null, to: { senior: 1800, other: 1000.5 } } });
		expect(feeSheet(requireScope(db), { fullIds: true }).standard).toEqual({ senior: 1800, other: 1000.5 });
	});

	it('belongs to its batch: setting it in one batch leaves the other’s sheet alone, as do its days', () => {
		const { db, scope } = meetingWorld();
		const other = secondBatch(db);
		setFeeStandard(other, OFFICE, { senior: '2400', other: '1500' });
		expect(feeSheet(requireScope(db, scope.batch.id), { fullIds: true }).standard).toEqual({ senior: 1500, other: 900 });
		// …and the days and attendance of one batch never show in the other's sheet.
		const d = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		saveAttendance(scope, OFFICE, [{ dayId: d, expertId: 'e1', status: 'present' }]);
		expect(feeSheet(requireScope(db, 'b-next'), { fullIds: true })).toMatchObject({ days: [], experts: [], total: { amount: 0 } });
		expect(feeSheet(requireScope(db, scope.batch.id), { fullIds: true }).total.amount).toBe(1500);
	});
});

describe('the 劳务费签领表', () => {
	function meeting() {
		const w = meetingWorld();
		const { scope } = w;
		setFeeStandard(scope, OFFICE, { senior: '1800', other: '1000' });
		const d1 = addMeetingDay(scope, OFFICE, { date: '2023-07-11', length: '1' });
		const d2 = addMeetingDay(scope, OFFICE, { date: '2023-07-12', length: '0.5' });
		saveAttendance(scope, OFFICE, [
			{ dayId: d1, expertId: 'e1', status: 'present' },
			{ dayId: d1, expertId: 'e2', status: 'present' },
			{ dayId: d1, expertId: 'e3', status: 'left-early' },
			{ dayId: d1, expertId: 'e4', status: 'half' },
			{ dayId: d1, expertId: 'i1', status: 'present' },
			{ dayId: d2, expertId: 'e1', status: 'present' },
			{ dayId: d2, expertId: 'e2', status: 'removed' },
			{ dayId: d2, expertId: 'e3', status: 'present' }
		]);
		return { ...w, scope: requireScope(w.db) };
	}

	it('pays per day by title class, not the left-early nor the removed, with totals per expert and batch', () => {
		const { scope } = meeting();
		const f = feeSheet(scope, { fullIds: true });
		expect(f.days.map((d) => [d.date, d.paid.map((l) => [l.expertId, l.amount]), d.amount])).toEqual([
			['2023-07-11', [['e1', 1800], ['e2', 1800], ['e4', 500], ['i1', 1000]], 5100],
			['2023-07-12', [['e1', 900], ['e3', 900]], 1800]
		]);
		expect(f.experts.map((e) => [e.expertId, e.days, e.amount])).toEqual([
			['e1', 1.5, 2700],
			['e2', 1, 1800],
			['e3', 0.5, 900],
			['e4', 0.5, 500],
			['i1', 1, 1000]
		]);
		expect(f.total).toEqual({ days: 4.5, amount: 6900, experts: 5 });
		expect(f.idNumbers.e1).toBe(ID_E1);
		expect(f.idNumbers.e3).toBe('');
	});

	it('shows full ID numbers only to the office: the observer’s sheet carries masked ones', () => {
		const { scope } = meeting();
		const observer = { id: 'u', role: 'observer' as const, region: null, expertId: null };
		const office = { ...observer, role: 'office' as const };
		const masked = feeSheet(scope, { fullIds: seesPersonalData(observer) });
		expect(masked.fullIds).toBe(false);
		expect(masked.idNumbers.e1).toBe(maskIdNumber(ID_E1));
		expect(masked.idNumbers.e1).toBe('110105********0042');
		expect(JSON.stringify(masked)).not.toContain(ID_E1);
		expect(JSON.stringify(masked)).not.toContain(ID_E2);
		expect(feeSheet(scope, { fullIds: seesPersonalData(office) }).idNumbers.e2).toBe(ID_E2);
	});

	it('exports a workbook whose totals are numbers in a 2-decimal format, texts escaped, the export audited', async () => {
		const { db, scope } = meeting();
		const body = await exportFeeWorkbook(scope, OFFICE, { fullIds: true });
		expect(lastAudit(db)).toMatchObject({ action: 'fees.export', detail: { experts: 5, days: 2, amount: 6900 } });
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(body as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('签领表')!;
		const rows: unknown[][] = [];
		ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
		expect(rows[0][0]).toMatch(/评审会专家劳务费签领表$/);
		expect(rows[2]).toEqual(['序号', '日期', '姓名', '职称', '工作单位', '身份证号', '天数', '标准（元/人天）', '金额（元）', '签领人签字']);
		const total = ws.getRow(rows.findIndex((r) => r[2] === '合计') + 1);
		expect(total.getCell(9).value).toBe(6900);
		expect(total.getCell(9).numFmt).toBe('#,##0.00');
		const subtotals = rows.filter((r) => r[2] === '本日小计').map((r) => r[8]);
		expect(subtotals).toEqual([5100, 1800]);
		expect(String(rows.find((r) => r[2] === '本日小计')![3])).toContain('甲三（早退，不发放）');
		const e1 = ws.getRow(rows.findIndex((r) => r[2] === '甲一') + 1);
		expect(e1.getCell(6).value).toBe(ID_E1);
		expect(e1.getCell(9).value).toBe(1800);
		expect(e1.getCell(9).numFmt).toBe('#,##0.00');
		// A name a spreadsheet would take for a formula stays text.
		expect(rows.some((r) => r[2] === `'=HYPERLINK("x")`)).toBe(true);
		const sum = wb.getWorksheet('按专家汇总')!;
		const perExpert: unknown[][] = [];
		sum.eachRow((r) => perExpert.push((r.values as unknown[]).slice(1)));
		const lines = perExpert.slice(3).filter((r) => typeof r[0] === 'number');
		expect(lines.map((r) => r[8])).toEqual([2700, 1800, 900, 500, 1000]);
		expect(perExpert.find((r) => r[1] === '合计')![8]).toBe(lines.reduce((a, r) => a + (r[8] as number), 0));
		expect(perExpert.find((r) => r[1] === '甲二')![9]).toBe('7月12日未发放');
	});

	it('a masked workbook is not audited as a personal-data export and holds no full number', async () => {
		const { db, scope } = meeting();
		const audits = count(db, s.auditLog);
		const body = await renderFeeWorkbook(feeSheet(scope, { fullIds: false }));
		expect(count(db, s.auditLog)).toBe(audits);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(body as unknown as ArrayBuffer);
		const cells: string[] = [];
		wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value)))));
		expect(cells.join('|')).not.toContain(ID_E1);
		expect(cells).toContain('110105********0042');
	});
});

describe("the expert's ID number", () => {
	it('is validated (GB 11643), sealed with its digest, audited by field name only', () => {
		const { db } = meetingWorld();
		const row = db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!;
		expect(row.idNumber).toMatch(/^sm4:/);
		expect(row.idNumberDigest).toBe(idNumberDigest(requireKeys(db), ID_E1));
		expect(decryptValue(requireKeys(db), row.idNumber)).toBe(ID_E1);
		const e = loadExperts(db).find((x) => x.id === 'e3')!;
		const base = { name: e.name, workUnit: e.workUnit ?? '', title: e.title ?? '', occupations: e.occupations, region: e.region ?? '', phone: e.phone ?? '', email: e.email ?? '' };
		const audits = count(db, s.auditLog);
		for (const [bad, msg] of [
			['110105197003150041', '身份证号校验码不正确'],
			['11010519491231002', '身份证号应为18位'],
			['110105197013150042', '身份证号出生日期无效']
		]) {
			let err: unknown;
			try {
				updateExpert(db, 'e3', { ...base, idNumber: bad }, OFFICE);
			} catch (x) {
				err = x;
			}
			expect(err).toBeInstanceOf(ExpertFormError);
			expect((err as ExpertFormError).errors.idNumber).toBe(msg);
		}
		expect(count(db, s.auditLog)).toBe(audits);
		// Full-width digits and spaces are cleaned.
		expect(updateExpert(db, 'e3', { ...base, idNumber: ' ２１０１０２１９８００１０１１２３２ ' }, OFFICE)).toEqual(['idNumber']);
		expect(lastAudit(db)).toMatchObject({ action: 'expert.update', detail: { changed: ['idNumber'] } });
		expect(JSON.stringify(lastAudit(db))).not.toContain(ID_E2);
		// A form without the field (the Excel list, other callers) leaves the stored number alone.
		expect(updateExpert(db, 'e3', { ...base, title: '研究员' }, OFFICE)).toEqual(['title']);
		expect(decryptValue(requireKeys(db), db.select().from(s.experts).where(eq(s.experts.id, 'e3')).get()!.idNumber)).toBe(ID_E2);
		// '' clears it.
		updateExpert(db, 'e3', { ...base, title: '研究员', idNumber: '' }, OFFICE);
		expect(db.select().from(s.experts).where(eq(s.experts.id, 'e3')).get()!.idNumber).toBeNull();
	});

	it('survives an Excel re-import of the expert list', async () => {
		const { db } = meetingWorld();
		const buf = await renderExpertWorkbook(loadExperts(db));
		await importExpertsFromWorkbook(db, Buffer.from(buf), OFFICE);
		expect(decryptValue(requireKeys(db), db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!.idNumber)).toBe(ID_E1);
	});

	it('is encrypted at rest when a database holds it in plaintext, and re-encrypted by a key rotation', () => {
		const { db } = meetingWorld();
		db.update(s.experts).set({ idNumber: ID_E2, idNumberDigest: null }).where(eq(s.experts.id, 'e4')).run();
		expect(encryptPlaintextAtRest(db)).toBe(1);
		const row = db.select().from(s.experts).where(eq(s.experts.id, 'e4')).get()!;
		expect(row.idNumber).toMatch(/^sm4:/);
		expect(row.idNumberDigest).toBe(idNumberDigest(requireKeys(db), ID_E2));
		const before = db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!.idNumber;
		db.transaction((tx) => reencryptAll(tx, requireKeys(tx)));
		const after = db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!.idNumber;
		expect(after).not.toBe(before);
		expect(decryptValue(requireKeys(db), after)).toBe(ID_E1);
	});
});

describe('a database not yet migrated to experts’ ID numbers', () => {
	it('still has its plaintext personal data encrypted and its keys rotated (the new columns are skipped)', () => {
		const db = world();
		db.$client.exec('ALTER TABLE experts DROP COLUMN id_number; ALTER TABLE experts DROP COLUMN id_number_digest;');
		db.$client.prepare("UPDATE experts SET phone = '13900000001', phone_digest = NULL WHERE id = 'e1'").run();
		expect(encryptPlaintextAtRest(db)).toBe(1);
		expect(db.transaction((tx) => reencryptAll(tx, requireKeys(tx)))).toBeGreaterThan(0);
	});
});

describe('the demo seed', () => {
	it('fills two days for the roster, one expert left early, ID numbers valid; idempotent; fills an archived batch too', () => {
		const { db, scope } = meetingWorld();
		db.update(s.batches).set({ archivedAt: '2023-12-31T00:00:00Z' }).run();
		const counts = seedMeetingAttendance(requireScope(db));
		expect(counts).toEqual({ days: 2, attendance: 9, idNumbers: 3 });
		expect(seedMeetingAttendance(requireScope(db))).toEqual({ days: 0, attendance: 0, idNumbers: 0 });
		const f = feeSheet(requireScope(db), { fullIds: true });
		expect(f.days.map((d) => d.length)).toEqual([1, 0.5]);
		expect(f.days[0].unpaid.map((l) => [l.expertId, l.status])).toEqual([['e3', 'left-early']]);
		expect(f.days[1].lines.map((l) => l.expertId)).toEqual(['e1', 'e2', 'e3', 'e4']);
		for (const e of ['e3', 'e4', 'i1']) expect(isValidIdNumber(f.idNumbers[e]), e).toBe(true);
		expect(f.idNumbers.e3).toBe(demoIdNumber('e3'));
		expect(f.idNumbers.e1).toBe(ID_E1);
		expect(auditActions(db)).not.toContain('meeting.attendance');
		expect(scope.batch.id).toBe(f.batch.id);
	});
});
