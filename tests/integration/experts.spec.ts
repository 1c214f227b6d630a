import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import {
	ExpertFormError,
	ExpertImportError,
	createExpert,
	importExpertsFromBundle,
	importExpertsFromWorkbook,
	listExpertPool,
	provisionAccounts,
	setExpertActive,
	updateExpert
} from '../../src/lib/server/services/experts';
import { BundleImportError } from '../../src/lib/server/services/bundle-import';
import { EXPERT_COLUMNS, parseExpertWorkbook, renderExpertWorkbook } from '../../src/lib/server/import/experts-xlsx';
import { drawExperts } from '../../src/lib/server/services/assignment-admin';
import { loadExperts } from '../../src/lib/server/queries/bundle';
import { requireKeys } from '../../src/lib/server/keys';
import { phoneDigest } from '../../src/lib/server/personal-data';
import { verifyPassword } from '../../src/lib/server/auth';
import { OFFICE, assigned, auditActions, lastAudit, world } from './draw-world';
import { requireScope } from '../../src/lib/server/scope';

const FORM = {
	id: '',
	name: '新专家',
	workUnit: '沈阳航空航天大学计算机学院',
	title: '教授',
	occupations: ['ai', 'vr'],
	region: 'shenyang',
	phone: '139 0000 1111',
	email: 'new@example.edu.cn'
};

function formError(fn: () => unknown): ExpertFormError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ExpertFormError) return e;
		throw e;
	}
	throw new Error('expected an ExpertFormError');
}

async function asyncError<T extends Error>(fn: () => Promise<unknown>, type: new (...a: never[]) => T): Promise<T> {
	try {
		await fn();
	} catch (e) {
		if (e instanceof type) return e;
		throw e;
	}
	throw new Error('expected an error');
}

describe('adding and editing experts', () => {
	it('gives the next free id, stores the cleaned values and audits without personal data', () => {
		const db = world();
		db.insert(s.experts).values({ id: 'exp-07', name: '旧', occupations: ['ai'] }).run();
		const id = createExpert(db, FORM, OFFICE);
		expect(id).toBe('exp-08');
		const row = db.select().from(s.experts).where(eq(s.experts.id, id)).get()!;
		expect(row).toMatchObject({ name: '新专家', occupations: ['ai', 'vr'], region: 'shenyang', active: true });
		// The phone is stored SM4-encrypted with its keyed digest; the pool reads it back cleaned.
		expect(row.phone).toMatch(/^sm4:/);
		expect(row.phoneDigest).toBe(phoneDigest(requireKeys(db), '13900001111'));
		expect(loadExperts(db).find((e) => e.id === id)!.phone).toBe('13900001111');
		const a = lastAudit(db);
		expect(a).toMatchObject({ action: 'expert.create', entity: 'expert', entityId: 'exp-08', detail: { occupations: ['ai', 'vr'], region: 'shenyang' } });
		expect(JSON.stringify(a.detail)).not.toMatch(/新专家|13900001111|new@example/);
	});

	it('refuses a used id and invalid fields, naming each field; nothing written', () => {
		const db = world();
		const n = db.select().from(s.experts).all().length;
		expect(formError(() => createExpert(db, { ...FORM, id: 'e1' }, OFFICE)).errors).toEqual({ id: '编号 e1 已被使用' });
		expect(formError(() => createExpert(db, { ...FORM, phone: '024-123', email: 'x@', occupations: [] }, OFFICE)).errors).toEqual({
			phone: '固定电话应含区号，如 024-23456789',
			email: '邮箱格式不正确，如 name@example.com',
			occupations: '请至少选择一个可评审职业'
		});
		expect(db.select().from(s.experts).all()).toHaveLength(n);
	});

	it('an edit keeps the id and audits the names of the changed fields', () => {
		const db = world();
		const changed = updateExpert(db, 'e1', { ...FORM, id: 'ignored', name: '甲一', workUnit: '东北大学软件学院', phone: '13700000001' }, OFFICE);
		expect(changed).toEqual(['workUnit', 'occupations', 'email']);
		const row = db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!;
		expect(row).toMatchObject({ id: 'e1', workUnit: '东北大学软件学院', occupations: ['ai', 'vr'] });
		expect(lastAudit(db)).toMatchObject({ action: 'expert.update', entityId: 'e1', detail: { changed: ['workUnit', 'occupations', 'email'] } });
		expect(updateExpert(db, 'e1', { ...FORM, name: '甲一', workUnit: '东北大学软件学院', phone: '13700000001' }, OFFICE)).toEqual([]);
		expect(formError(() => updateExpert(db, 'nobody', FORM, OFFICE)).errors).toEqual({ id: '专家 nobody 不存在' });
	});

	it('a deactivated expert is not drawn; reactivation brings them back', () => {
		const db = world();
		for (const id of ['i1']) expect(setExpertActive(db, id, false, OFFICE)).toBe(0);
		expect(lastAudit(db)).toMatchObject({ action: 'expert.deactivate', entityId: 'i1' });
		const r = drawExperts(requireScope(db), { scope: 'ic', seed: 'z' }, OFFICE);
		expect(r.made).toBe(2);
		expect(assigned(db, 'app-c').map((a) => a.expertId)).toEqual(['i2', 'i3']);
		setExpertActive(db, 'i1', true, OFFICE);
		expect(drawExperts(requireScope(db), { scope: 'ic', seed: 'z' }, OFFICE).made).toBe(1);
		expect(auditActions(db).filter((a) => a.startsWith('expert.'))).toEqual(['expert.deactivate', 'expert.activate']);
		expect(listExpertPool(requireScope(db)).find((e) => e.id === 'i1')).toMatchObject({ active: true, load: 1, account: null, committed: false });
	});
});

describe('accounts and the credential sheet', () => {
	it('opens accounts named after the expert id, with passwords that work and must be changed', async () => {
		const db = world();
		db.insert(s.experts).values({ id: 'EXP:9', name: '大写', occupations: ['ai'] }).run();
		const creds = await provisionAccounts(db, [{ expertId: 'e1' }, { expertId: 'EXP:9' }, { expertId: 'e1' }], {}, OFFICE);
		expect(creds.map((c) => [c.expertId, c.username, c.action])).toEqual([
			['e1', 'e1', 'created'],
			['EXP:9', 'exp-9', 'created']
		]);
		const user = db.select().from(s.users).where(eq(s.users.username, 'exp-9')).get()!;
		expect(user).toMatchObject({ role: 'expert', expertId: 'EXP:9', displayName: '大写', mustChangePassword: true });
		expect(await verifyPassword(user.passwordHash, creds[1].password!)).toBe(true);
		expect(creds[1].password).toMatch(/^[A-Za-z2-9]{12}$/);
		expect(auditActions(db).filter((a) => a === 'user.create')).toHaveLength(2);
	});

	it('shows no password for an existing account unless reset; a reset gives a new one', async () => {
		const db = world();
		const [first] = await provisionAccounts(db, [{ expertId: 'e2', username: 'jia-er' }], {}, OFFICE);
		expect(first.username).toBe('jia-er');
		const [again] = await provisionAccounts(db, [{ expertId: 'e2' }], {}, OFFICE);
		expect(again).toMatchObject({ username: 'jia-er', action: 'existing', password: null });
		const [reset] = await provisionAccounts(db, [{ expertId: 'e2' }], { reset: true }, OFFICE);
		expect(reset.action).toBe('reset');
		const user = db.select().from(s.users).where(eq(s.users.username, 'jia-er')).get()!;
		expect(await verifyPassword(user.passwordHash, reset.password!)).toBe(true);
		expect(await verifyPassword(user.passwordHash, first.password!)).toBe(false);
	});

	it('takes a free name when the proposed one is used, and refuses a chosen name that is taken: nobody gets an account then', async () => {
		const db = world();
		db.insert(s.users).values({ id: 'u1', username: 'e3', displayName: '占用', role: 'office', passwordHash: 'x' }).run();
		const [c] = await provisionAccounts(db, [{ expertId: 'e3' }], {}, OFFICE);
		expect(c.username).toBe('e3-2');
		const before = db.select().from(s.users).all().length;
		const e = await asyncError(() => provisionAccounts(db, [{ expertId: 'e4' }, { expertId: 'e5', username: 'e3' }, { expertId: 'e6', username: 'Bad Name' }], {}, OFFICE), ExpertFormError);
		expect(e.errors).toEqual({
			'username:e5': '甲五：用户名 "e3" 已被使用',
			'username:e6': '甲六：用户名只能使用小写字母、数字和 . _ -'
		});
		expect(db.select().from(s.users).all()).toHaveLength(before);
		expect((await asyncError(() => provisionAccounts(db, [], {}, OFFICE), ExpertFormError)).errors).toEqual({ ids: '请至少选择一位专家' });
	});
});

async function workbook(rows: (string | number | null)[][], headers: string[] = EXPERT_COLUMNS.map((c) => c.header)): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('专家名单');
	ws.addRow(headers);
	for (const r of rows) ws.addRow(r);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('importing experts from Excel', () => {
	it('the template filled with the pool reads back to the same experts', async () => {
		const db = world();
		const experts = loadExperts(db);
		const parsed = await parseExpertWorkbook(await renderExpertWorkbook(experts));
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((r) => r.values)).toEqual(
			experts.map((e) => ({ id: e.id, name: e.name, workUnit: e.workUnit, title: e.title, occupations: e.occupations, region: e.region, phone: e.phone, email: e.email }))
		);
		expect(parsed.rows.map((r) => r.row)).toEqual(experts.map((_, i) => i + 2));
	});

	it('creates and updates by 编号; an empty 编号 takes the next free exp-NN', async () => {
		const db = world();
		const buf = await workbook([
			['', '丙一', '中国医科大学信息中心', '研究员', '人工智能、大数据', '沈阳', 13811112222, 'a@b.cn'],
			['e1', '甲一', '东北大学软件学院', '教授', 'ai', 'shenyang', '13700000001', ''],
			[null, null, null, null, null, null, null, null],
			['', '丙二', '大连医科大学', '', '集成电路', '大连市', '0411-88889999', '']
		]);
		const r = await importExpertsFromWorkbook(db, buf, OFFICE);
		expect(r).toEqual({ created: ['exp-01', 'exp-02'], updated: ['e1'] });
		// Phones as the pool reads them (decrypted; stored SM4-encrypted, see personal-data.spec).
		const pool = new Map(loadExperts(db).map((e) => [e.id, e]));
		expect(pool.get('exp-01')).toMatchObject({
			name: '丙一',
			occupations: ['ai', 'bigdata'],
			region: 'shenyang',
			phone: '13811112222',
			email: 'a@b.cn',
			title: '研究员'
		});
		expect(pool.get('exp-02')).toMatchObject({ region: 'dalian', phone: '0411-88889999', occupations: ['ic'], title: null });
		expect(db.select().from(s.experts).where(eq(s.experts.id, 'exp-02')).get()!.phone).toMatch(/^sm4:/);
		expect(db.select().from(s.experts).where(eq(s.experts.id, 'e1')).get()!.workUnit).toBe('东北大学软件学院');
		expect(lastAudit(db)).toMatchObject({ action: 'expert.import', detail: { source: 'xlsx', created: ['exp-01', 'exp-02'], updated: ['e1'] } });
	});

	it('names the row and column of every problem and writes nothing', async () => {
		const db = world();
		const before = JSON.stringify(db.select().from(s.experts).all());
		const buf = await workbook([
			['', '好', '某单位', '', '人工智能', '', '', ''],
			['', '', '某单位', '', '化学、人工智能', '北京', '12345', 'x@'],
			['dup', '甲', '', '', '', '', '', ''],
			['dup', '乙', '某单位', '', '物联网', '', '', '']
		]);
		const e = await asyncError(() => importExpertsFromWorkbook(db, buf, OFFICE), ExpertImportError);
		expect(e.problems).toEqual([
			'第 3 行「可评审职业」：不认识的职业“化学”（可用：人工智能、物联网、大数据、云计算、智能制造、工业互联网、虚拟现实、区块链、集成电路、数字化管理）',
			'第 3 行「地区」：不认识的地区“北京”（可用：沈阳、大连、鞍山、抚顺、本溪、丹东、锦州、营口、阜新、辽阳、盘锦、铁岭、朝阳、葫芦岛、沈抚示范区）',
			'第 3 行「姓名」：请填写姓名',
			'第 3 行「电话」：手机号码应为以 1 开头的 11 位数字',
			'第 3 行「邮箱」：邮箱格式不正确，如 name@example.com',
			'第 4 行「工作单位」：请填写工作单位（可写到院系或部门）',
			'第 4 行「可评审职业」：请至少选择一个可评审职业',
			'第 5 行「编号」：编号 dup 与第 4 行重复'
		]);
		expect(JSON.stringify(db.select().from(s.experts).all())).toBe(before);
	});

	it('refuses a file without the required columns, or not an Excel file', async () => {
		const db = world();
		const noUnit = await workbook([['', '甲', '人工智能']], ['编号', '姓名', '可评审职业']);
		expect((await asyncError(() => importExpertsFromWorkbook(db, noUnit, OFFICE), ExpertImportError)).problems).toEqual([
			'第 1 行「工作单位」：缺少“工作单位”列（请使用下载的模板）'
		]);
		expect((await asyncError(() => importExpertsFromWorkbook(db, Buffer.from('hello'), OFFICE), ExpertImportError)).problems).toEqual([
			'文件：无法读取“上传的工作簿”：文件已损坏或不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 重新另存为 .xlsx 后再上传。'
		]);
		const empty = await workbook([]);
		expect((await asyncError(() => importExpertsFromWorkbook(db, empty, OFFICE), ExpertImportError)).problems).toEqual(['工作表中没有专家数据（从第 2 行起填写）']);
	});
});

describe('importing experts from a bundle', () => {
	it('takes the experts section only and names the sections left alone', () => {
		const db = world();
		const text = JSON.stringify({
			format: 'dte-review-bundle',
			version: 1,
			experts: [{ id: 'b-1', name: '丁一', workUnit: '辽宁科技大学', occupations: ['cloud'] }],
			assignments: [{ applicationId: 'app-a', expertId: 'b-1' }]
		});
		const r = importExpertsFromBundle(db, text, OFFICE);
		expect(r.counts.experts).toBe(1);
		expect(r.counts.assignments).toBe(0);
		expect(r.ignored).toEqual(['assignments']);
		expect(assigned(db)).toEqual([]);
		expect(db.select().from(s.experts).where(eq(s.experts.id, 'b-1')).get()).toMatchObject({ name: '丁一', occupations: ['cloud'] });
	});

	it('errors name the JSON path; nothing written', () => {
		const db = world();
		const n = db.select().from(s.experts).all().length;
		const bad = JSON.stringify({ experts: [{ id: 'b-1', name: '丁一' }, { id: 'b-2', name: '', occupations: ['x'] }] });
		let e: unknown;
		try {
			importExpertsFromBundle(db, bad, OFFICE);
		} catch (x) {
			e = x;
		}
		expect(e).toBeInstanceOf(BundleImportError);
		expect((e as BundleImportError).errors.map((x) => x.path)).toEqual(['experts[1].name', 'experts[1].occupations[0]']);
		expect(db.select().from(s.experts).all()).toHaveLength(n);
		expect(() => importExpertsFromBundle(db, '{"applications": []}', OFFICE)).toThrow('experts: 数据包中没有 experts（专家）部分');
		expect(() => importExpertsFromBundle(db, '{oops', OFFICE)).toThrow(BundleImportError);
	});
});
