/**
 * ID numbers and phones at rest: SM4-encrypted in the database file (nothing of them in plaintext),
 * shown in full to the office and in the exports, matched for conflicts by keyed digest; an older
 * database is encrypted once on open; a restore without the key file is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, fullBundle, tempDir } from './helpers';
import { memoryDb, migrate, openDatabase } from '../../src/lib/server/db';
import { exportBundle, loadExperts, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { computeConflicts } from '../../src/lib/server/services/batch-state';
import { listIntake, officeApplication } from '../../src/lib/server/services/applications';
import { expertsByPhone } from '../../src/lib/server/queries/personal-search';
import { exportListWorkbook } from '../../src/lib/server/services/intake-files';
import { restoreDatabase } from '../../src/lib/server/backup';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { requireKeys } from '../../src/lib/server/keys';
import { idNumberDigest, phoneDigest } from '../../src/lib/server/personal-data';
import { requireScope } from '../../src/lib/server/scope';

const ID = '210102198001011232';
const PHONES = ['13800000001', '13800000002', '13900000003', '0411-88886666', '13700000001'];
const OFFICE = { id: 'u-office', username: 'office', role: 'office' as const, region: null, expertId: null };

/** Every byte of the database (main file and WAL), as someone who copies the file would read it. */
function fileBytes(db: string): string {
	return [db, `${db}-wal`]
		.filter((f) => fs.existsSync(f))
		.map((f) => fs.readFileSync(f).toString('latin1'))
		.join('');
}

describe('personal data at rest', () => {
	it('the database file holds no ID number or phone in plaintext; the office and the exports see them', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		expect((await cli(db, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
		const bytes = fileBytes(db);
		expect(bytes).toContain('exp-1'); // the file is readable as such
		for (const secret of [ID, ...PHONES]) expect(bytes, secret).not.toContain(secret);
		// Every stored value is ciphertext with a digest beside it.
		const c = new Database(db, { readonly: true });
		try {
			const inst = c.prepare(`SELECT legal_rep_id_number AS v, legal_rep_id_digest AS d FROM institutions WHERE id = 'inst-1'`).get() as { v: string; d: string };
			expect(inst.v).toMatch(/^sm4:[A-Za-z0-9+/=]+$/);
			expect(inst.d).toMatch(/^[0-9a-f]{64}$/);
			const app = c.prepare(`SELECT lead_phone AS v, lead_phone_digest AS d FROM applications WHERE id = 'app-1'`).get() as { v: string; d: string };
			expect(app.v).toMatch(/^sm4:/);
			expect(app.d).toMatch(/^[0-9a-f]{64}$/);
			const raw = (c.prepare(`SELECT phone FROM experts UNION ALL SELECT phone FROM application_people UNION ALL SELECT contact_phone FROM applications`).pluck().all() as (string | null)[]).filter((v) => v);
			expect(raw.length).toBeGreaterThan(0);
			for (const v of raw) expect(v).toMatch(/^sm4:/);
		} finally {
			c.close();
		}

		// The bundle export carries them in plaintext, as bundle.md requires, and says so.
		const out = path.join(dir, 'out.json');
		const exp = await cli(db, 'export', '--out', out);
		expect(exp.code).toBe(0);
		expect(exp.stderr).toMatch(/明文.*SM4 加密.*密钥/);
		const text = fs.readFileSync(out, 'utf8');
		for (const secret of [ID, ...PHONES]) expect(text, secret).toContain(`"${secret}"`);

		// The office's page and the intake list workbook show them in full.
		const d = openDatabase(db);
		try {
			migrate(d);
			const page = officeApplication(d, OFFICE, 'app-1');
			expect(JSON.stringify(page)).toContain(ID);
			expect(JSON.stringify(page)).toContain('13800000001');
			const wb = new ExcelJS.Workbook();
			const list = await exportListWorkbook(requireScope(d), { region: '', occupation: '', type: '', status: '', finding: '', person: '' }, SYSTEM_ACTOR);
			await wb.xlsx.load(list.body as unknown as ArrayBuffer);
			const cells: string[] = [];
			wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
			expect(cells).toContain(ID);
			expect(cells).toContain('13800000001');
		} finally {
			d.$client.close();
		}
	});

	it('conflicts match phones by keyed digest: the same number written differently matches', () => {
		const db = memoryDb();
		const b = fullBundle();
		// The expert 李四 (13700000001) is app-2's lead, the number written with country code and dashes.
		b.applications[1].lead = { name: '李四', title: '主任', phone: '+86 137-0000-0001', email: null };
		importBundle(db, b, SYSTEM_ACTOR);
		const keys = requireKeys(db);
		const c = db.$client;
		const expert = c.prepare(`SELECT phone, phone_digest AS d FROM experts WHERE id = 'exp-1'`).get() as { phone: string; d: string };
		const lead = c.prepare(`SELECT lead_phone AS phone, lead_phone_digest AS d FROM applications WHERE id = 'app-2'`).get() as { phone: string; d: string };
		// Different ciphertexts (and plaintexts), the same digest: the digest of the normalized number.
		expect(expert.phone).not.toBe(lead.phone);
		expect(expert.d).toBe(lead.d);
		expect(expert.d).toBe(phoneDigest(keys, '13700000001'));
		const found = computeConflicts(requireScope(db)).conflicts.filter((x) => x.expertId === 'exp-1' && x.applicationId === 'app-2');
		expect(found.map((x) => x.code)).toContain('APPLICATION_CONTACT');
		expect(found.find((x) => x.code === 'APPLICATION_CONTACT')!.matched).toContain('137****0001');
	});

	it('the office finds applications and experts by ID number or phone, through the digest', async () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const ids = (person: string) => listIntake(requireScope(db), { person }).map((r) => r.id);
		expect(ids('').sort()).toEqual(['app-1', 'app-2']);
		// The lead's phone written another way; the ID number with a lower-case x or spaces would match too.
		expect(ids('+86 138-0000-0001')).toEqual(['app-1']);
		expect(ids('13900000003')).toEqual(['app-1']); // a listed teacher
		expect(ids('0411 8888 6666')).toEqual(['app-2']); // app-2's lead
		expect(ids(ID.slice(0, 6) + ' ' + ID.slice(6))).toEqual(['app-1']);
		expect(ids('13800009999')).toEqual([]);
		expect(expertsByPhone(db, '137 0000 0001')).toEqual(['exp-1']);
		expect(expertsByPhone(db, ID)).toEqual([]);
		// The export of a searched list does not write the number into the audit log.
		await exportListWorkbook(requireScope(db), { region: '', occupation: '', type: '', status: '', finding: '', person: '13800000001' }, SYSTEM_ACTOR);
		const detail = db.$client.prepare(`SELECT detail FROM audit_log WHERE action = 'application.export-xlsx'`).pluck().get() as string;
		expect(JSON.parse(detail)).toMatchObject({ filter: { person: '（已隐去）' }, applications: 1 });
		expect(detail).not.toContain('13800000001');
	});

	it('plaintext left by an older version is encrypted once on open, idempotently', () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const c = db.$client;
		// As the old code stored them.
		c.prepare(`UPDATE institutions SET legal_rep_id_number = ?, legal_rep_id_digest = NULL WHERE id = 'inst-1'`).run(ID);
		c.prepare(`UPDATE experts SET phone = '13700000001', phone_digest = NULL WHERE id = 'exp-1'`).run();
		c.prepare(`UPDATE application_people SET phone = '13900000003', phone_digest = NULL`).run();
		c.prepare(`UPDATE applications SET lead_phone = '13800000001', lead_phone_digest = NULL WHERE id = 'app-1'`).run();
		migrate(db);
		const keys = requireKeys(db);
		const inst = c.prepare(`SELECT legal_rep_id_number AS v, legal_rep_id_digest AS d FROM institutions WHERE id = 'inst-1'`).get() as { v: string; d: string };
		expect(inst.v).toMatch(/^sm4:/);
		expect(inst.d).toBe(idNumberDigest(keys, ID));
		expect((c.prepare(`SELECT lead_phone_digest FROM applications WHERE id = 'app-1'`).pluck().get())).toBe(phoneDigest(keys, '13800000001'));
		const snapshot = c.prepare('SELECT phone FROM experts UNION ALL SELECT legal_rep_id_number FROM institutions UNION ALL SELECT phone FROM application_people').pluck().all();
		for (const v of snapshot) if (v) expect(v).toMatch(/^sm4:/);
		migrate(db);
		expect(c.prepare('SELECT phone FROM experts UNION ALL SELECT legal_rep_id_number FROM institutions UNION ALL SELECT phone FROM application_people').pluck().all()).toEqual(snapshot);
		expect(loadInstitutions(db).find((i) => i.id === 'inst-1')!.legalRep?.idNumber).toBe(ID);
		expect(loadExperts(db).find((e) => e.id === 'exp-1')!.phone).toBe('13700000001');
		expect(exportBundle(requireScope(db)).applications[0].lead?.phone).toBe('13800000001');
	});

	it('restore refuses a keyed backup when the key file is not where the database will use it', async () => {
		const dir = tempDir();
		const live = path.join(dir, 'live.db');
		expect((await cli(live, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
		const backup = path.join(dir, 'b.db');
		const made = await cli(live, 'backup', '--out', backup);
		expect(made.code).toBe(0);
		expect(made.stderr).toMatch(/另行备份密钥文件/);
		// Nothing at the target yet: the key file is missing.
		const nowhere = path.join(tempDir(), 'new.db');
		await expect(restoreDatabase(nowhere, backup)).rejects.toThrow(/需要密钥文件.*不存在/);
		expect(fs.existsSync(nowhere)).toBe(false);
		// The command line opened (and keyed) an empty target: its new key does not fit the backup.
		const other = path.join(tempDir(), 'elsewhere.db');
		const r = await cli(other, 'restore', backup);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/不是用密钥文件 .*elsewhere\.db\.keys 加密的/);
		// With the key file in place the restore goes through and the audit log verifies with it.
		fs.copyFileSync(`${live}.keys`, `${other}.keys`);
		const ok = await cli(other, 'restore', backup, '--json');
		expect(ok.code, ok.stderr).toBe(0);
		expect(JSON.parse(ok.stdout).restored.auditIntact).toBe(true);
		expect((await cli(other, 'audit', 'verify')).code).toBe(0);
	});
});
