/**
 * The intake service against a real (in-memory, migrated) database: drafts, submission with the
 * quota of the cell, closed occupations, region isolation, attachments judged by content, the
 * office's return / accept / override — and that a refused request writes nothing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR, verifyAudit } from '../../src/lib/server/audit';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { computeFindings } from '../../src/lib/server/services/batch-state';
import { loadInstitutions } from '../../src/lib/server/queries/bundle';
import {
	ApplicationError,
	acceptApplication,
	cityApplication,
	createDraft,
	deleteAttachment,
	listAttachments,
	listIntake,
	overrideFinding,
	returnApplication,
	revokeOverride,
	saveDraft,
	submitApplication,
	uploadAttachment
} from '../../src/lib/server/services/applications';
import { emptyFormValues, type FormValues } from '../../src/lib/domain/application-form';
import { usccCheckChar } from '../../src/lib/domain/identifiers';
import { MAX_UPLOAD_BYTES } from '../../src/lib/server/files';
import { requireScope } from '../../src/lib/server/scope';

type TestUser = { id: string; username: string; role: s.Role; region: string | null; expertId: string | null };

const TODAY = '2023-06-10';
const PDF = fs.readFileSync(path.join(FIXTURES, 'files/tiny.pdf'));
const PNG = fs.readFileSync(path.join(FIXTURES, 'files/tiny.png'));
const FAKE_PDF = fs.readFileSync(path.join(FIXTURES, 'files/fake.pdf'));

let db: Db;
let dir: string;
let anshan: TestUser;
let shenyang: TestUser;
let office: TestUser;

function addUser(username: string, role: s.Role, region: string | null = null): TestUser {
	const u = { id: `u-${username}`, username, role, region, expertId: null };
	db.insert(s.users).values({ id: u.id, username, displayName: username, role, region, passwordHash: 'x' }).run();
	return u;
}

/** A valid unified social credit code for institution number n (Anshan division 210300). */
function uscc(n: number): string {
	const first17 = `91210300MA0Y${String(n).padStart(5, '0')}`;
	return first17 + usccCheckChar(first17);
}

/** Every field of Annex 1 filled, as the browser sends it. */
function trainingValues(n: number, occupation = 'ai'): FormValues {
	const v = emptyFormValues(2023);
	v.occupation = occupation;
	v.levels = ['junior', 'intermediate'];
	v.inst = {
		...v.inst,
		name: `鞍山测试培训学校${n}`,
		uscc: uscc(n),
		legalRepName: '王强',
		legalRepIdNumber: '210302198001011233',
		address: '鞍山市铁东区胜利南路 1 号',
		unitType: 'private-non-enterprise',
		industrySection: 'P',
		industryDivision: '83',
		registeredCapital: '500',
		employees: '60',
		founded: '2012-05-01',
		nationalCE: '0',
		industryCE: '1',
		provincialCE: '0',
		standardDeveloper: '0'
	};
	v.taxes = v.taxes.map((t) => ({ ...t, amount: '12.5', dishonest: '0' }));
	v.lead = { name: '李明', title: '校长', phone: '13800000001', email: 'li@example.com' };
	v.contact = { name: '赵丽', title: '教务主任', phone: '0412-5551234', email: 'zhao@example.com' };
	v.overview = '单位基本情况。';
	v.platform = '信息化平台。';
	v.pastWork = '已有培训情况。';
	v.teamMechanism = '师资团队建设机制。';
	v.plan = '下步培训工作规划。';
	v.trainingYears = v.trainingYears.map((y) => ({ ...y, total: '2500', independent: '2000', cooperative: '500' }));
	v.venues = [{ address: '鞍山市铁东区胜利南路 1 号', area: '1200', capacity: '300', equipmentSets: '150', equipmentValue: '420.5' }];
	v.team = { total: '30', fullTime: '20', partTime: '10', assessors: '', supervisors: '' };
	v.people = [{ name: '孙伟', workUnit: '辽宁科技大学', title: '教授', specialty: '计算机', fullTime: '0', phone: '13900000002' }];
	v.planned = { junior: '600', intermediate: '400', senior: '' };
	v.fees = { junior: '30', intermediate: '45', senior: '' };
	v.reason = '该校在本地区数字技能培训中规模较大，材料齐全，同意推荐。';
	return v;
}

function attachAll(user: TestUser, id: string) {
	uploadAttachment(db, user, id, 'registration-certificate', { name: '登记证书.pdf', bytes: PDF }, { dir });
	uploadAttachment(db, user, id, 'credit-report', { name: '信用报告.png', bytes: PNG }, { dir });
	uploadAttachment(db, user, id, 'recommendation-letter', { name: '推荐函.pdf', bytes: PDF }, { dir });
}

/** A complete training application of the user's region, submitted. */
function submitted(user: TestUser, n: number, occupation = 'ai'): string {
	const { id } = createDraft(requireScope(db), user, 'training', trainingValues(n, occupation));
	attachAll(user, id);
	submitApplication(db, user, id, undefined, { today: TODAY });
	return id;
}

function row(id: string) {
	return db.select().from(s.applications).where(eq(s.applications.id, id)).get()!;
}

function count(table: typeof s.applications | typeof s.institutions | typeof s.attachments | typeof s.auditLog | typeof s.findingOverrides) {
	return db.select({ n: sql<number>`count(*)` }).from(table).get()!.n;
}

function refused(fn: () => unknown): ApplicationError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ApplicationError) return e;
		throw e;
	}
	throw new Error('expected an ApplicationError');
}

beforeEach(() => {
	db = memoryDb();
	dir = tempDir();
	importBundle(db, { batch: { id: 'ln-2023-b2' } }, SYSTEM_ACTOR);
	anshan = addUser('city-anshan', 'city', 'anshan');
	shenyang = addUser('city-shenyang', 'city', 'shenyang');
	office = addUser('office', 'office');
});

describe('drafts', () => {
	it('a draft saves with only the occupation and the institution name, in the city’s own region', () => {
		const { id, version } = createDraft(requireScope(db), anshan, 'training', { occupation: 'ai', inst: { name: '鞍山某学校' } });
		const r = row(id);
		expect(r).toMatchObject({ status: 'draft', region: 'anshan', occupation: 'ai', type: 'training', version: 1, submittedAt: null });
		expect(version).toBe(1);
		const audit = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'application.create')).all();
		expect(audit).toHaveLength(1);
		expect(audit[0].entityId).toBe(id);
	});

	it('without the occupation or the name nothing is written and both fields are named', () => {
		const before = [count(s.applications), count(s.institutions), count(s.auditLog)];
		const e = refused(() => createDraft(requireScope(db), anshan, 'training', { inst: { name: '' } }));
		expect(e.errors).toEqual({
			occupation: '请选择「拟申报开展培训的职业」',
			'inst.name': '请填写「单位名称」（保存草稿至少需要职业和单位名称）'
		});
		expect([count(s.applications), count(s.institutions), count(s.auditLog)]).toEqual(before);
	});

	it('a malformed value refuses the whole save and names the field', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const v = trainingValues(1);
		v.inst.employees = '六十';
		v.overview = '改过的概况';
		const e = refused(() => saveDraft(db, anshan, id, v));
		expect(e.errors).toEqual({ 'inst.employees': '「正式员工数」应为不小于 0 的整数' });
		expect(row(id).overview).toBe('单位基本情况。');
		expect(row(id).version).toBe(1);
	});

	it('saving bumps the version; a form opened on an older version is refused', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const v = { ...trainingValues(1), version: '1', overview: '第二稿' };
		expect(saveDraft(db, anshan, id, v).version).toBe(2);
		const e = refused(() => saveDraft(db, anshan, id, { ...v, overview: '旧页面的修改' }));
		expect(e.status).toBe(409);
		expect(e.message).toContain('第 1 版 → 第 2 版');
		expect(row(id).overview).toBe('第二稿');
	});

	it('an empty ID number keeps the stored one (the page shows it masked only)', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const v = trainingValues(1);
		v.inst.legalRepIdNumber = '';
		saveDraft(db, anshan, id, v);
		const instId = row(id).institutionId;
		// Stored SM4-encrypted (a fresh IV on every write), read back as it was.
		expect(db.select().from(s.institutions).where(eq(s.institutions.id, instId)).get()!.legalRepIdNumber).toMatch(/^sm4:/);
		expect(loadInstitutions(db, new Set([instId]))[0].legalRep?.idNumber).toBe('210302198001011233');
		expect(cityApplication(db, anshan, id).idNumber).toBe('210302********1233');
	});

	it('a draft with a wrong check character saves, with a warning', () => {
		const v = trainingValues(1);
		v.inst.uscc = v.inst.uscc.slice(0, 17) + (v.inst.uscc.endsWith('0') ? '1' : '0');
		const { warnings } = createDraft(requireScope(db), anshan, 'training', v);
		expect(warnings).toEqual({ 'inst.uscc': '「统一社会信用代码」校验码不正确' });
	});

	it('an institution shared with a submitted application is copied when the draft changes it, reused when not', () => {
		const first = submitted(anshan, 1, 'ai');
		const instId = row(first).institutionId;
		const same = createDraft(requireScope(db), anshan, 'training', { ...trainingValues(1, 'iot'), inst: { ...trainingValues(1).inst, id: instId, legalRepIdNumber: '' } });
		expect(row(same.id).institutionId).toBe(instId);
		const changed = trainingValues(1, 'cloud');
		changed.inst = { ...changed.inst, id: instId, address: '鞍山市新地址', legalRepIdNumber: '' };
		const copy = createDraft(requireScope(db), anshan, 'training', changed);
		const copyInst = row(copy.id).institutionId;
		expect(copyInst).not.toBe(instId);
		const stored = db.select().from(s.institutions).where(eq(s.institutions.id, instId)).get()!;
		expect(stored.address).toBe('鞍山市铁东区胜利南路 1 号');
		const copied = loadInstitutions(db, new Set([copyInst]))[0];
		expect(copied).toMatchObject({ address: '鞍山市新地址', legalRep: { idNumber: '210302198001011233' } });
	});

	it('a city cannot pick another region’s institution', () => {
		const other = submitted(shenyang, 7, 'ai');
		const v = trainingValues(8);
		v.inst.id = row(other).institutionId;
		const e = refused(() => createDraft(requireScope(db), anshan, 'training', v));
		expect(e.errors['inst.id']).toContain('不属于本地区');
	});
});

describe('region isolation and roles', () => {
	it('a city neither sees nor saves another region’s application (404), and the office does not fill forms', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		expect(refused(() => saveDraft(db, shenyang, id, trainingValues(1))).status).toBe(404);
		expect(refused(() => submitApplication(db, shenyang, id, undefined, { today: TODAY })).status).toBe(404);
		expect(refused(() => cityApplication(db, shenyang, id)).status).toBe(404);
		expect(refused(() => uploadAttachment(db, shenyang, id, 'extra', { name: 'a.pdf', bytes: PDF }, { dir })).status).toBe(404);
		expect(refused(() => createDraft(requireScope(db), office, 'training', trainingValues(2))).status).toBe(403);
		expect(refused(() => submitApplication(db, office, id)).status).toBe(403);
	});

	it('a city cannot return, accept or override', () => {
		const id = submitted(anshan, 1);
		expect(refused(() => returnApplication(db, anshan, id, '理由')).status).toBe(403);
		expect(refused(() => acceptApplication(db, anshan, id)).status).toBe(403);
		expect(refused(() => overrideFinding(db, anshan, id, 'QUOTA_EXCEEDED', '理由')).status).toBe(403);
	});

	it('a submitted application is read-only to the city', () => {
		const id = submitted(anshan, 1);
		const e = refused(() => saveDraft(db, anshan, id, trainingValues(1)));
		expect(e.status).toBe(409);
		expect(e.message).toBe('该申报已提交推荐，不能修改；如需修改，请联系省厅人才开发处退回');
		expect(refused(() => uploadAttachment(db, anshan, id, 'extra', { name: 'a.pdf', bytes: PDF }, { dir })).status).toBe(409);
		const att = listAttachments(db, id)[0];
		expect(refused(() => deleteAttachment(db, anshan, att.id)).status).toBe(409);
		expect(cityApplication(db, anshan, id).editable).toBe(false);
	});
});

describe('submission', () => {
	it('an incomplete form is refused with every missing field named, and nothing changes', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', { occupation: 'ai', inst: { name: '鞍山某学校' } });
		const auditBefore = count(s.auditLog);
		const e = refused(() => submitApplication(db, anshan, id, undefined, { today: TODAY }));
		expect(e.message).toMatch(/^还有 \d+ 项未填写完整，不能提交推荐$/);
		expect(e.errors.levels).toBe('请勾选「拟申报开展培训的专业技术等级」（初级、中级、高级，至少一项）');
		expect(e.errors['inst.uscc']).toBe('请填写「统一社会信用代码」');
		expect(e.errors['attachments.recommendation-letter']).toBe('请上传「推荐函」');
		expect(row(id).status).toBe('draft');
		expect(count(s.auditLog)).toBe(auditBefore);
	});

	it('a complete form with its materials is recommended: status, unit and date set, audited', () => {
		const id = submitted(anshan, 1);
		expect(row(id)).toMatchObject({
			status: 'submitted',
			hasRecommendation: true,
			recommendationUnit: '鞍山市人力资源和社会保障局',
			recommendationDate: TODAY,
			recommendationReason: '该校在本地区数字技能培训中规模较大，材料齐全，同意推荐。',
			attRegistrationCertificate: true,
			attCreditReport: true,
			attIntegrityCommitment: null
		});
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'application.submit')).get()!;
		expect(JSON.parse(entry.detail!)).toEqual({ region: 'anshan', occupation: 'ai', type: 'training', cell: '1/2' });
		expect(verifyAudit(db).problems).toEqual([]);
		// The office's formal check finds nothing blocking in it.
		const findings = computeFindings(requireScope(db), TODAY).findings.get(id)!;
		expect(findings.filter((f) => f.severity === 'blocking')).toEqual([]);
	});

	it('saving and submitting go together: a refused submission does not save the edits either', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', { occupation: 'ai', inst: { name: '鞍山某学校' } });
		const v = { ...trainingValues(1), version: '1' };
		refused(() => submitApplication(db, anshan, id, v, { today: TODAY })); // materials missing
		expect(row(id).overview).toBeNull();
		attachAll(anshan, id);
		submitApplication(db, anshan, id, v, { today: TODAY });
		expect(row(id)).toMatchObject({ status: 'submitted', overview: '单位基本情况。' });
	});

	it('鞍山 training quota is 2: the second fits, the third is refused naming the cell and its limit', () => {
		submitted(anshan, 1);
		submitted(anshan, 2);
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(3));
		attachAll(anshan, id);
		const e = refused(() => submitApplication(db, anshan, id, undefined, { today: TODAY }));
		expect(e.message).toBe('鞍山 · 人工智能工程技术人员 · 培训机构 已推荐 2 家，名额 2 家，不能再推荐');
		expect(e.errors.occupation).toBe(e.message);
		expect(e.status).toBe(409);
		expect(row(id).status).toBe('draft');
		// Another occupation is another cell.
		const other = createDraft(requireScope(db), anshan, 'training', trainingValues(4, 'iot')).id;
		attachAll(anshan, other);
		submitApplication(db, anshan, other, undefined, { today: TODAY });
		expect(row(other).status).toBe('submitted');
	});

	it('沈阳 training quota is 5: the fifth fits, the sixth is refused', () => {
		for (let n = 1; n <= 5; n++) submitted(shenyang, 10 + n, 'cloud');
		const { id } = createDraft(requireScope(db), shenyang, 'training', trainingValues(16, 'cloud'));
		attachAll(shenyang, id);
		const e = refused(() => submitApplication(db, shenyang, id, undefined, { today: TODAY }));
		expect(e.message).toBe('沈阳 · 云计算工程技术人员 · 培训机构 已推荐 5 家，名额 5 家，不能再推荐');
	});

	it('drafts and returned applications do not use the quota; accepted ones do', () => {
		const a = submitted(anshan, 1);
		const b = submitted(anshan, 2);
		createDraft(requireScope(db), anshan, 'training', trainingValues(5)); // a draft in the same cell
		const third = createDraft(requireScope(db), anshan, 'training', trainingValues(3)).id;
		attachAll(anshan, third);
		returnApplication(db, office, a, '请补充师资证明');
		submitApplication(db, anshan, third, undefined, { today: TODAY });
		expect(row(third).status).toBe('submitted');
		// Accepted ones count: with b accepted and third submitted, the returned one cannot come back.
		acceptApplication(db, office, b);
		const e = refused(() => submitApplication(db, anshan, a, undefined, { today: TODAY }));
		expect(e.message).toBe('鞍山 · 人工智能工程技术人员 · 培训机构 已推荐 2 家，名额 2 家，不能再推荐');
		expect(row(a)).toMatchObject({ status: 'returned', statusReason: '请补充师资证明' });
	});

	it('a closed evaluation occupation cannot be chosen, saved or submitted', () => {
		const v = { ...trainingValues(1, 'bigdata') };
		const e = refused(() => createDraft(requireScope(db), anshan, 'evaluation', v));
		expect(e.errors.occupation).toBe('本批次不受理「大数据工程技术人员」的评价机构申报（第一批已遴选），请选择其他职业');
		expect(count(s.applications)).toBe(0);
		// Training for the same occupation is open.
		expect(createDraft(requireScope(db), anshan, 'training', v).id).toMatch(/^app-/);
		// An evaluation draft that came in another way (e.g. a Word import) is refused at submission.
		const { id } = createDraft(requireScope(db), anshan, 'evaluation', { occupation: 'iot', inst: { name: '鞍山评价中心' } });
		db.update(s.applications).set({ occupation: 'blockchain' }).where(eq(s.applications.id, id)).run();
		const sub = refused(() => submitApplication(db, anshan, id, undefined, { today: TODAY }));
		expect(sub.message).toBe('本批次不受理「区块链工程技术人员」的评价机构申报，不能推荐；请改选其他职业');
	});
});

describe('attachments', () => {
	it('are judged by content: a PNG named .pdf is a PNG, a text file named .pdf is refused', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const png = uploadAttachment(db, anshan, id, 'extra', { name: 'scan.pdf', bytes: PNG }, { dir });
		expect(png).toMatchObject({ mime: 'image/png', filename: 'scan.pdf.png', size: PNG.length });
		const pdf = uploadAttachment(db, anshan, id, 'extra', { name: 'notes.txt', bytes: PDF }, { dir });
		expect(pdf).toMatchObject({ mime: 'application/pdf', filename: 'notes.txt.pdf' });
		const jpeg = uploadAttachment(db, anshan, id, 'extra', { name: 'photo.jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]) }, { dir });
		expect(jpeg.mime).toBe('image/jpeg');
		const before = count(s.attachments);
		const e = refused(() => uploadAttachment(db, anshan, id, 'registration-certificate', { name: 'fake.pdf', bytes: FAKE_PDF }, { dir }));
		expect(e.message).toBe('「fake.pdf」不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）');
		expect(e.errors['attachments.registration-certificate']).toBe(e.message);
		expect(count(s.attachments)).toBe(before);
	});

	it('are stored once under data/files/<sha256> with their hash', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const a = uploadAttachment(db, anshan, id, 'registration-certificate', { name: '证书.pdf', bytes: PDF }, { dir });
		const b = uploadAttachment(db, anshan, id, 'recommendation-letter', { name: '推荐函.pdf', bytes: PDF }, { dir });
		expect(a.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
		expect(b.sha256).toBe(a.sha256);
		expect(fs.readdirSync(dir)).toEqual([a.sha256]);
		expect(fs.readFileSync(path.join(dir, a.sha256)).equals(PDF)).toBe(true);
	});

	it('refuses an empty file, a file over 10 MB and an unknown kind', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		expect(refused(() => uploadAttachment(db, anshan, id, 'extra', { name: 'a.pdf', bytes: new Uint8Array() }, { dir })).message).toBe(
			'请选择要上传的文件（文件不能为空）'
		);
		const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
		big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
		// 413, as the server answers a body over its limit.
		expect(refused(() => uploadAttachment(db, anshan, id, 'extra', { name: 'big.pdf', bytes: big }, { dir }))).toMatchObject({
			message: '文件 10.0 MB，超过 10 MB 的上限',
			status: 413
		});
		const exact = new Uint8Array(MAX_UPLOAD_BYTES);
		exact.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
		expect(uploadAttachment(db, anshan, id, 'extra', { name: 'max.pdf', bytes: exact }, { dir }).size).toBe(MAX_UPLOAD_BYTES);
		expect(refused(() => uploadAttachment(db, anshan, id, 'passport', { name: 'a.pdf', bytes: PDF }, { dir })).errors.kind).toBe('请选择材料类别');
	});

	it('keep the material flags of the formal check in step: deleting the last credit report clears it', () => {
		const { id } = createDraft(requireScope(db), anshan, 'training', trainingValues(1));
		const one = uploadAttachment(db, anshan, id, 'credit-report', { name: 'a.pdf', bytes: PDF }, { dir });
		const two = uploadAttachment(db, anshan, id, 'credit-report', { name: 'b.png', bytes: PNG }, { dir });
		expect(row(id).attCreditReport).toBe(true);
		deleteAttachment(db, anshan, one.id);
		expect(row(id).attCreditReport).toBe(true);
		deleteAttachment(db, anshan, two.id);
		expect(row(id).attCreditReport).toBe(false);
		expect(db.select().from(s.auditLog).where(eq(s.auditLog.action, 'attachment.delete')).all()).toHaveLength(2);
	});
});

describe('the office', () => {
	it('returning needs a reason and makes the application editable again; resubmitting clears the reason', () => {
		const id = submitted(anshan, 1);
		expect(refused(() => returnApplication(db, office, id, '  ')).errors).toEqual({ reason: '请填写退回理由' });
		expect(row(id).status).toBe('submitted');
		returnApplication(db, office, id, '师资名单缺少联系电话，请补充');
		expect(row(id)).toMatchObject({ status: 'returned', statusReason: '师资名单缺少联系电话，请补充' });
		expect(cityApplication(db, anshan, id).editable).toBe(true);
		const v = trainingValues(1);
		v.plan = '补充后的规划';
		saveDraft(db, anshan, id, v);
		submitApplication(db, anshan, id, undefined, { today: TODAY });
		expect(row(id)).toMatchObject({ status: 'submitted', statusReason: null, plan: '补充后的规划' });
		expect(refused(() => returnApplication(db, office, createDraft(requireScope(db), anshan, 'training', trainingValues(2)).id, '理由')).status).toBe(409);
	});

	it('overriding a blocking finding needs a written reason, is stored and audited, and lets the application be accepted', () => {
		// Three recommended in one 鞍山 cell (imported, as from a bundle): every one gets QUOTA_EXCEEDED.
		const ids = [submitted(anshan, 1), submitted(anshan, 2)];
		const third = createDraft(requireScope(db), anshan, 'training', trainingValues(3)).id;
		db.update(s.applications).set({ status: 'submitted' }).where(eq(s.applications.id, third)).run();
		ids.push(third);
		expect(computeFindings(requireScope(db), TODAY).findings.get(ids[0])!.map((f) => f.code)).toContain('QUOTA_EXCEEDED');

		const accept = refused(() => acceptApplication(db, office, ids[0]));
		expect(accept.message).toBe('尚有未处理的阻断性问题（QUOTA_EXCEEDED），不能受理；请写明理由放行，或退回市局');

		expect(refused(() => overrideFinding(db, office, ids[0], 'QUOTA_EXCEEDED', '')).errors).toEqual({ reason: '请填写放行理由' });
		expect(refused(() => overrideFinding(db, office, ids[0], 'LATE_SUBMISSION', '理由')).message).toBe('只有阻断性问题需要放行；提示性问题不影响受理');
		expect(refused(() => overrideFinding(db, office, ids[0], 'DISHONEST_RECORD', '理由')).status).toBe(409);
		expect(refused(() => overrideFinding(db, office, ids[0], 'NOPE', '理由')).message).toBe('未知的问题代码');
		expect(count(s.findingOverrides)).toBe(0);

		overrideFinding(db, office, ids[0], 'QUOTA_EXCEEDED', '省厅同意鞍山该职业增补一个名额（厅务会纪要）');
		const o = db.select().from(s.findingOverrides).get()!;
		expect(o).toMatchObject({ applicationId: ids[0], code: 'QUOTA_EXCEEDED', reason: '省厅同意鞍山该职业增补一个名额（厅务会纪要）', userId: office.id });
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'finding.override')).get()!;
		expect(entry).toMatchObject({ entity: 'application', entityId: ids[0], actor: 'office' });
		expect(JSON.parse(entry.detail!)).toEqual({ code: 'QUOTA_EXCEEDED', reason: '省厅同意鞍山该职业增补一个名额（厅务会纪要）' });

		acceptApplication(db, office, ids[0]);
		expect(row(ids[0]).status).toBe('accepted');
		expect(refused(() => acceptApplication(db, office, ids[0])).status).toBe(409);

		revokeOverride(db, office, ids[0], 'QUOTA_EXCEEDED');
		expect(count(s.findingOverrides)).toBe(0);
		expect(db.select().from(s.auditLog).where(eq(s.auditLog.action, 'finding.revoke')).all()).toHaveLength(1);
		expect(verifyAudit(db).problems).toEqual([]);
	});

	it('the intake table leaves out drafts and filters by finding code', () => {
		const ok = submitted(anshan, 1);
		const draft = createDraft(requireScope(db), anshan, 'training', trainingValues(2)).id;
		const late = createDraft(requireScope(db), anshan, 'training', trainingValues(3, 'iot')).id;
		attachAll(anshan, late);
		submitApplication(db, anshan, late, undefined, { today: '2023-06-20' });
		const all = listIntake(requireScope(db));
		expect(all.map((r) => r.id).sort()).toEqual([ok, late].sort());
		expect(listIntake(requireScope(db), { status: 'draft' }).map((r) => r.id)).toEqual([draft]);
		expect(listIntake(requireScope(db), { finding: 'LATE_SUBMISSION' }).map((r) => r.id)).toEqual([late]);
		expect(listIntake(requireScope(db), { finding: 'LATE_SUBMISSION' })[0].findings).toEqual([
			{ code: 'LATE_SUBMISSION', severity: 'warning', detail: '推荐日期 2023-06-20 晚于截止日期 2023-06-15', overridden: null }
		]);
		expect(listIntake(requireScope(db), { finding: 'none' }).map((r) => r.id)).toEqual([ok]);
		expect(listIntake(requireScope(db), { finding: 'blocking' })).toEqual([]);
		expect(listIntake(requireScope(db), { region: 'shenyang' })).toEqual([]);
	});
});
