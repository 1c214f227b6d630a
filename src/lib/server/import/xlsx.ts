/**
 * Reads the Excel intake template (export/intake-template.ts) back into bundle objects and imports
 * them. Every error names the sheet, the row number and the column header; when there is any error
 * nothing is written.
 *
 * Institution ids: the 机构编号 column when filled; else `inst-<统一社会信用代码>`, which
 * `importIntakeWorkbook` replaces by the id of an institution already stored with the same USCC.
 */
import type ExcelJS from 'exceljs';
import { asc } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { Actor } from '../audit';
import type { Application, BundleError, Institution } from '../../domain/bundle';
import { LEVELS, isIndustryCode, INDUSTRY_DIVISIONS } from '../../domain/vocabulary';
import { BundleImportError, importBundle, type ImportCounts } from '../services/bundle-import';
import { openUserWorkbook, unreadableWorkbook } from './workbook';
import { unescapeCellText } from '../export/cell-text';
import { normalizeCode } from '../../domain/normalize';
import {
	EVALUATION_COLUMNS,
	INSTITUTION_KEYS,
	MAIN_COLUMNS,
	PEOPLE_COLUMNS,
	SHEET_EVALUATION,
	SHEET_MAIN,
	SHEET_PEOPLE,
	SHEET_TAXES,
	SHEET_TRAINING,
	SHEET_VENUES,
	TAX_COLUMNS,
	TRAINING_COLUMNS,
	VENUE_COLUMNS,
	group,
	listKey,
	LISTS,
	normHeader,
	type Column,
	type ListItem
} from '../export/intake-layout';

export type IntakeError = { sheet: string; row: number | null; column: string | null; message: string };
export type IntakeBundle = { institutions: Institution[]; applications: Application[] };
export type IntakeParse = { bundle: IntakeBundle; errors: IntakeError[] };

/** Where a bundle value came from, to turn importBundle's JSON paths back into cells. */
type Loc = { sheet: string; row: number; column: string | null };

const MAX_ERRORS = 200;

/** `申报信息 第 5 行「统一社会信用代码」：…` */
export function formatIntakeError(e: IntakeError): string {
	const where = e.sheet ? e.sheet + (e.row ? ` 第 ${e.row} 行` : '') + (e.column ? `「${e.column}」` : '') : '文件';
	return `${where}：${e.message}`;
}

/** The path of an error inside BundleImportError: `申报信息!R5C「职业」`. */
export function intakeErrorPath(e: { sheet: string; row: number | null; column: string | null }): string {
	if (!e.sheet) return '(文件)';
	return e.sheet + (e.row ? `!R${e.row}` : '') + (e.column ? `${e.row ? 'C' : '!'}「${e.column}」` : '');
}

/* ------------------------------------------------------------------ cells */

type Raw = string | number | boolean | Date | null;
type Parsed = string | number | boolean | null;
class CellProblem extends Error {}

function rawValue(v: ExcelJS.CellValue | undefined): Raw {
	if (v === null || v === undefined) return null;
	// A text the list export escaped against formula injection (export/cell-text.ts) comes back as it was.
	if (typeof v === 'string') return v.trim() === '' ? null : unescapeCellText(v);
	if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
	if (typeof v === 'object') {
		if ('richText' in v) return rawValue(v.richText.map((r) => r.text).join(''));
		if ('formula' in v || 'sharedFormula' in v) return rawValue((v as { result?: ExcelJS.CellValue }).result);
		if ('hyperlink' in v) return rawValue((v as { text?: ExcelJS.CellValue }).text);
		if ('error' in v) return String(v.error);
	}
	return String(v);
}

const pad = (n: number) => String(n).padStart(2, '0');
function isCalendarDate(y: number, m: number, d: number): boolean {
	const dt = new Date(Date.UTC(y, m - 1, d));
	return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function parseNumber(raw: Raw, integer: boolean): number {
	let n: number;
	if (typeof raw === 'number') n = raw;
	else if (typeof raw === 'string') {
		const t = raw.normalize('NFKC').replace(/[\s,]/g, '');
		if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) throw new CellProblem(`"${raw.trim()}" 不是数字`);
		n = Number(t);
	} else throw new CellProblem(`应为数字`);
	if (!Number.isFinite(n)) throw new CellProblem('不是有效的数字');
	if (n < 0) throw new CellProblem('不能为负数');
	if (integer && !Number.isInteger(n)) throw new CellProblem(`应为整数（现为 ${n}）`);
	return n;
}

function parseDate(raw: Raw): string {
	if (raw instanceof Date) {
		if (Number.isNaN(raw.getTime())) throw new CellProblem('不是有效的日期');
		return `${raw.getUTCFullYear()}-${pad(raw.getUTCMonth() + 1)}-${pad(raw.getUTCDate())}`;
	}
	// A date typed into a cell that is not text-formatted may reach us as an Excel serial number.
	if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 61 && raw <= 109574) {
		return parseDate(new Date(Date.UTC(1899, 11, 30) + raw * 86400000));
	}
	if (typeof raw !== 'string') throw new CellProblem('日期格式应为 YYYY-MM-DD（如 2012-03-01）');
	const t = raw.normalize('NFKC').replace(/\s/g, '');
	const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
	if (!m) throw new CellProblem(`"${raw.trim()}" 不是 YYYY-MM-DD 格式的日期（如 2012-03-01）`);
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (!isCalendarDate(y, mo, d)) throw new CellProblem(`"${raw.trim()}" 不是有效的日历日期`);
	return `${y}-${pad(mo)}-${pad(d)}`;
}

function parseText(raw: Raw, c: Column): string {
	if (typeof raw === 'number') {
		if (Number.isInteger(raw) && !Number.isSafeInteger(raw)) {
			throw new CellProblem('数字位数过多，Excel 已丢失精度；请把该列设为文本格式后重新填写');
		}
		return String(raw);
	}
	if (typeof raw === 'boolean') return raw ? '是' : '否';
	if (raw instanceof Date) return parseDate(raw);
	const t = String(raw);
	if (c.kind === 'narrative') return t.replace(/\r\n?/g, '\n');
	if (c.kind === 'code') return t.normalize('NFKC').replace(/\s/g, '').toUpperCase();
	return t.trim();
}

function listText(items: readonly ListItem[]): string {
	return items.map((x) => x.label).join('、');
}

function parseCell(raw: Raw, c: Column): Parsed {
	if (raw === null) return null;
	switch (c.kind) {
		case 'id':
		case 'text':
		case 'code':
		case 'narrative':
			return parseText(raw, c);
		case 'int':
			return parseNumber(raw, true);
		case 'num':
			return parseNumber(raw, false);
		case 'date':
			return parseDate(raw);
		case 'bool': {
			if (typeof raw === 'boolean') return raw;
			if (typeof raw === 'number' && (raw === 0 || raw === 1)) return raw === 1;
			const k = typeof raw === 'string' ? listKey('yesNo', raw) : undefined;
			if (k === undefined) throw new CellProblem(`"${String(raw).trim()}" 不是可选值，应为“是”或“否”`);
			return k === 'true';
		}
		case 'enum': {
			const k = listKey(c.list!, String(raw));
			if (k === undefined) throw new CellProblem(`"${String(raw).trim()}" 不是可选值，应从下拉列表中选择（${listText(LISTS[c.list!])}）`);
			return k === 'true' ? true : k === 'false' ? false : k;
		}
		case 'industry': {
			const t = String(raw).normalize('NFKC').trim();
			const code = /^([A-Ta-t])(\d{2})?(?![A-Za-z0-9])/.exec(t);
			if (code) return code[1].toUpperCase() + (code[2] ?? '');
			const k = listKey('industry', t);
			if (k === undefined) throw new CellProblem(`"${t}" 不是 GB/T 4754—2017 的门类，应从下拉列表中选择`);
			return k;
		}
	}
}

/* ------------------------------------------------------------------ sheets */

type SheetRow = { row: number; values: Record<string, Parsed> };

class Collector {
	errors: IntakeError[] = [];
	add(sheet: string, row: number | null, column: string | null, message: string) {
		if (this.errors.length < MAX_ERRORS) this.errors.push({ sheet, row, column, message });
	}
}

/** Reads one sheet by its header row; blank rows are skipped. Null when the sheet is missing. */
function readSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], out: Collector): SheetRow[] | null {
	const ws = wb.worksheets.find((w) => normHeader(w.name) === normHeader(name));
	if (!ws) {
		out.add(name, null, null, `找不到工作表「${name}」（请使用工作台下载的模板，不要修改工作表名称）`);
		return null;
	}
	const where = new Map<string, number>();
	ws.getRow(1).eachCell({ includeEmpty: false }, (cell, n) => {
		const v = rawValue(cell.value);
		if (typeof v === 'string') where.set(normHeader(v), n);
	});
	let missing = false;
	for (const c of columns) {
		if (!where.has(normHeader(c.header))) {
			out.add(name, 1, c.header, '缺少这一列（请不要修改或删除模板的表头）');
			missing = true;
		}
	}
	if (missing) return [];
	const rows: SheetRow[] = [];
	ws.eachRow({ includeEmpty: false }, (row, n) => {
		if (n === 1) return;
		const raws = columns.map((c) => rawValue(row.getCell(where.get(normHeader(c.header))!).value));
		if (raws.every((r) => r === null)) return;
		const values: Record<string, Parsed> = {};
		columns.forEach((c, i) => {
			try {
				values[c.key] = parseCell(raws[i], c);
			} catch (e) {
				if (!(e instanceof CellProblem)) throw e;
				out.add(name, n, c.header, e.message);
				values[c.key] = null;
			}
			if (c.required && raws[i] === null) out.add(name, n, c.header, '不能为空');
		});
		rows.push({ row: n, values });
	});
	return rows;
}

const header = (columns: Column[], key: string) => columns.find((c) => c.key === key)!.header;

/* ------------------------------------------------------------------ assembly */

type Detailed = IntakeParse & { locations: Map<string, Loc>; derivedIds: Set<string> };

const str = (v: Parsed) => (v === null ? null : String(v));
const num = (v: Parsed) => (v === null ? null : Number(v));
const bool = (v: Parsed) => (v === null ? null : Boolean(v));

function assemble(wb: ExcelJS.Workbook, out: Collector): Detailed {
	const locations = new Map<string, Loc>();
	const derivedIds = new Set<string>();
	const at = (path: string, sheet: string, row: number, column: string | null) => locations.set(path, { sheet, row, column });

	const main = readSheet(wb, SHEET_MAIN, MAIN_COLUMNS, out) ?? [];
	const taxRows = readSheet(wb, SHEET_TAXES, TAX_COLUMNS, out) ?? [];
	const trainingRows = readSheet(wb, SHEET_TRAINING, TRAINING_COLUMNS, out) ?? [];
	const evaluationRows = readSheet(wb, SHEET_EVALUATION, EVALUATION_COLUMNS, out) ?? [];
	const venueRows = readSheet(wb, SHEET_VENUES, VENUE_COLUMNS, out) ?? [];
	const peopleRows = readSheet(wb, SHEET_PEOPLE, PEOPLE_COLUMNS, out) ?? [];
	const mh = (key: string) => header(MAIN_COLUMNS, key);

	/* institutions: first row that names one defines it; later rows may leave cells blank or repeat them */
	type InstDraft = { id: string; index: number; values: Record<string, Parsed>; from: Record<string, number> };
	const insts = new Map<string, InstDraft>();
	const apps: { row: number; app: Application; inst: InstDraft }[] = [];
	const appIds = new Map<string, number>();

	const mainIds = new Set(main.map((r) => str(r.values.id)).filter((x): x is string => x !== null));
	for (const { row, values: v } of main) {
		let instId = str(v.institutionId);
		const uscc = normalizeCode(str(v.uscc));
		if (!instId) {
			if (!uscc) {
				out.add(SHEET_MAIN, row, mh('uscc'), '请填写统一社会信用代码（或机构编号），用于识别单位');
				continue;
			}
			if (!/^[0-9A-Z]+$/.test(uscc)) {
				out.add(SHEET_MAIN, row, mh('uscc'), `"${uscc}" 含有字母和数字以外的字符，无法据此识别单位；请改正或填写机构编号`);
				continue;
			}
			instId = `inst-${uscc}`;
			derivedIds.add(instId);
		}
		let inst = insts.get(instId);
		if (!inst) {
			inst = { id: instId, index: insts.size, values: {}, from: {} };
			insts.set(instId, inst);
		}
		for (const key of INSTITUTION_KEYS) {
			const value = v[key] ?? null;
			if (value === null) continue;
			const prev = inst.values[key];
			if (prev === undefined || prev === null) {
				inst.values[key] = value;
				inst.from[key] = row;
			} else if (prev !== value) {
				out.add(SHEET_MAIN, row, mh(key), `与第 ${inst.from[key]} 行同一单位（${instId}）的“${String(prev)}”不一致；同一单位的信息只需在第一行填写`);
			}
		}
		const id = str(v.id);
		if (!id) continue;
		if (appIds.has(id)) {
			out.add(SHEET_MAIN, row, mh('id'), `申报编号 "${id}" 与第 ${appIds.get(id)} 行重复`);
			continue;
		}
		appIds.set(id, row);
		const level = (k: string) => v[k] === true;
		const app: Application = {
			id,
			institutionId: instId,
			type: (str(v.type) ?? 'training') as Application['type'],
			occupation: str(v.occupation) ?? '',
			levels: LEVELS.filter((l) => level(l.key)).map((l) => l.key),
			region: str(v.region) ?? '',
			lead: group({ name: str(v.leadName), title: str(v.leadTitle), phone: str(v.leadPhone), email: str(v.leadEmail) }),
			contact: group({ name: str(v.contactName), title: str(v.contactTitle), phone: str(v.contactPhone), email: str(v.contactEmail) }),
			overview: str(v.overview),
			platform: str(v.platform),
			pastWork: str(v.pastWork),
			teamMechanism: str(v.teamMechanism),
			plan: str(v.plan),
			trainingYears: [],
			evaluationYears: [],
			conductsEvaluation: bool(v.conductsEvaluation),
			issuesCertificates: bool(v.issuesCertificates),
			certificateCategory: str(v.certificateCategory),
			venues: [],
			team: group({
				total: num(v.teamTotal),
				fullTime: num(v.teamFullTime),
				partTime: num(v.teamPartTime),
				assessors: num(v.teamAssessors),
				supervisors: num(v.teamSupervisors)
			}),
			people: [],
			planned: group({ junior: num(v['planned.junior']), intermediate: num(v['planned.intermediate']), senior: num(v['planned.senior']) }),
			fees: group({ junior: num(v['fees.junior']), intermediate: num(v['fees.intermediate']), senior: num(v['fees.senior']) }),
			attachments: group({
				registrationCertificate: bool(v.attRegistrationCertificate),
				creditReport: bool(v.attCreditReport),
				integrityCommitment: bool(v.attIntegrityCommitment)
			}),
			recommendation: group({ reason: str(v.recommendationReason), unit: str(v.recommendationUnit), date: str(v.recommendationDate) })
		};
		const i = apps.length;
		apps.push({ row, app, inst });
		at(`applications[${i}]`, SHEET_MAIN, row, null);
		const appPaths: Record<string, string> = {
			id: 'id', institutionId: 'institutionId', type: 'type', occupation: 'occupation', region: 'region',
			levels: 'junior', lead: 'leadName', 'lead.name': 'leadName', 'lead.title': 'leadTitle', 'lead.phone': 'leadPhone',
			'lead.email': 'leadEmail', contact: 'contactName', 'contact.name': 'contactName', 'contact.title': 'contactTitle',
			'contact.phone': 'contactPhone', 'contact.email': 'contactEmail', overview: 'overview', platform: 'platform',
			pastWork: 'pastWork', teamMechanism: 'teamMechanism', plan: 'plan', conductsEvaluation: 'conductsEvaluation',
			issuesCertificates: 'issuesCertificates', certificateCategory: 'certificateCategory', 'team.total': 'teamTotal',
			'team.fullTime': 'teamFullTime', 'team.partTime': 'teamPartTime', 'team.assessors': 'teamAssessors',
			'team.supervisors': 'teamSupervisors', 'attachments.registrationCertificate': 'attRegistrationCertificate',
			'attachments.creditReport': 'attCreditReport', 'attachments.integrityCommitment': 'attIntegrityCommitment',
			'recommendation.reason': 'recommendationReason', 'recommendation.unit': 'recommendationUnit',
			'recommendation.date': 'recommendationDate'
		};
		for (const [path, key] of Object.entries(appPaths)) at(`applications[${i}].${path}`, SHEET_MAIN, row, mh(key));
		if (!str(v.institutionId)) at(`applications[${i}].institutionId`, SHEET_MAIN, row, mh('uscc'));
		for (const l of LEVELS) {
			at(`applications[${i}].planned.${l.key}`, SHEET_MAIN, row, mh(`planned.${l.key}`));
			at(`applications[${i}].fees.${l.key}`, SHEET_MAIN, row, mh(`fees.${l.key}`));
		}
	}

	/* the institutions themselves */
	const institutions: Institution[] = [];
	for (const d of insts.values()) {
		const v = d.values;
		const k = institutions.length;
		const firstRow = Math.min(...apps.filter((a) => a.inst === d).map((a) => a.row), ...Object.values(d.from), Infinity);
		const name = str(v.name ?? null);
		if (!name && Number.isFinite(firstRow)) out.add(SHEET_MAIN, firstRow, mh('name'), `单位（${d.id}）的单位名称不能为空`);
		let industry = str(v.industry ?? null);
		const division = str(v.industryDivision ?? null);
		if (division !== null) {
			const divRow = d.from.industryDivision;
			if (!/^\d{1,2}$/.test(division)) {
				out.add(SHEET_MAIN, divRow, mh('industryDivision'), `"${division}" 应为两位数字的大类代码`);
			} else if (!industry) {
				out.add(SHEET_MAIN, divRow, mh('industryDivision'), '填写大类代码时须同时选择所属行业门类');
			} else if (industry.length > 1 && industry.slice(1) !== division.padStart(2, '0')) {
				out.add(SHEET_MAIN, divRow, mh('industryDivision'), `与所属行业门类中的代码 ${industry} 不一致`);
			} else {
				const code = industry[0] + division.padStart(2, '0');
				if (!isIndustryCode(code)) {
					const [lo, hi] = INDUSTRY_DIVISIONS[industry[0]];
					out.add(SHEET_MAIN, divRow, mh('industryDivision'), `大类代码 ${division} 不属于门类 ${industry[0]}（应在 ${pad(lo)}–${pad(hi)} 之间）`);
				} else industry = code;
			}
		} else if (industry && !isIndustryCode(industry)) {
			out.add(SHEET_MAIN, d.from.industry, mh('industry'), `"${industry}" 不是有效的 GB/T 4754—2017 行业代码`);
		}
		institutions.push({
			id: d.id,
			name: name ?? '',
			uscc: normalizeCode(str(v.uscc ?? null)),
			legalRep: group({ name: str(v.legalRepName ?? null), idNumber: str(v.legalRepIdNumber ?? null) }),
			address: str(v.address ?? null),
			unitType: str(v.unitType ?? null),
			industry,
			registeredCapital: num(v.registeredCapital ?? null),
			employees: num(v.employees ?? null),
			founded: str(v.founded ?? null),
			taxes: [],
			bases: group({
				nationalCE: bool(v.nationalCE ?? null),
				industryCE: bool(v.industryCE ?? null),
				provincialCE: bool(v.provincialCE ?? null),
				standardDeveloper: bool(v.standardDeveloper ?? null)
			})
		});
		const instPaths: Record<string, string> = {
			id: 'institutionId', name: 'name', uscc: 'uscc', legalRep: 'legalRepName', 'legalRep.name': 'legalRepName',
			'legalRep.idNumber': 'legalRepIdNumber', address: 'address', unitType: 'unitType', industry: 'industry',
			registeredCapital: 'registeredCapital', employees: 'employees', founded: 'founded', 'bases.nationalCE': 'nationalCE',
			'bases.industryCE': 'industryCE', 'bases.provincialCE': 'provincialCE', 'bases.standardDeveloper': 'standardDeveloper'
		};
		if (Number.isFinite(firstRow)) {
			at(`institutions[${k}]`, SHEET_MAIN, firstRow, null);
			for (const [path, key] of Object.entries(instPaths)) at(`institutions[${k}].${path}`, SHEET_MAIN, d.from[key] ?? firstRow, mh(key));
		}
	}
	const instIndex = new Map([...insts.values()].map((d, k) => [d.id, k]));

	/* child sheets, linked by application id */
	const byId = new Map(apps.map((a, i) => [a.app.id, { ...a, index: i }]));
	const link = (sheet: string, columns: Column[], r: SheetRow) => {
		const id = str(r.values.applicationId);
		if (id === null) return undefined;
		const a = byId.get(id);
		// An id whose 申报信息 row has errors of its own is not reported again here.
		if (!a && !mainIds.has(id)) out.add(sheet, r.row, header(columns, 'applicationId'), `申报编号 "${id}" 在「申报信息」中不存在`);
		return a;
	};
	const childAt = (prefix: string, sheet: string, columns: Column[], row: number, fields: Record<string, string>) => {
		at(prefix, sheet, row, null);
		for (const [path, key] of Object.entries(fields)) at(`${prefix}.${path}`, sheet, row, header(columns, key));
	};

	// Taxes belong to the institution: one set per institution, possibly repeated identically.
	const taxSets = new Map<string, { appId: string; rows: SheetRow[] }[]>();
	for (const r of taxRows) {
		const a = link(SHEET_TAXES, TAX_COLUMNS, r);
		if (!a) continue;
		const sets = taxSets.get(a.inst.id) ?? [];
		let set = sets.find((x) => x.appId === a.app.id);
		if (!set) sets.push((set = { appId: a.app.id, rows: [] }));
		set.rows.push(r);
		taxSets.set(a.inst.id, sets);
	}
	for (const [instId, sets] of taxSets) {
		const k = instIndex.get(instId)!;
		const key = (rows: SheetRow[]) => JSON.stringify(rows.map((r) => [r.values.year, r.values.amount, r.values.dishonest]));
		const first = sets[0];
		for (const other of sets.slice(1)) {
			if (key(other.rows) !== key(first.rows)) {
				out.add(SHEET_TAXES, other.rows[0].row, header(TAX_COLUMNS, 'applicationId'),
					`同一单位（${instId}）的纳税情况已在申报编号 "${first.appId}" 下填写（第 ${first.rows[0].row} 行起），两处不一致；只需填写一处`);
			}
		}
		institutions[k].taxes = first.rows.map((r, j) => {
			childAt(`institutions[${k}].taxes[${j}]`, SHEET_TAXES, TAX_COLUMNS, r.row, { year: 'year', amount: 'amount', dishonest: 'dishonest' });
			return { year: num(r.values.year)!, amount: num(r.values.amount), dishonest: bool(r.values.dishonest) };
		});
	}

	for (const r of trainingRows) {
		const a = link(SHEET_TRAINING, TRAINING_COLUMNS, r);
		if (!a) continue;
		const j = a.app.trainingYears.length;
		childAt(`applications[${a.index}].trainingYears[${j}]`, SHEET_TRAINING, TRAINING_COLUMNS, r.row, {
			year: 'year', total: 'total', independent: 'independent', cooperative: 'cooperative'
		});
		a.app.trainingYears.push({
			year: num(r.values.year)!,
			total: num(r.values.total),
			independent: num(r.values.independent),
			cooperative: num(r.values.cooperative)
		});
	}
	for (const r of evaluationRows) {
		const a = link(SHEET_EVALUATION, EVALUATION_COLUMNS, r);
		if (!a) continue;
		const j = a.app.evaluationYears.length;
		childAt(`applications[${a.index}].evaluationYears[${j}]`, SHEET_EVALUATION, EVALUATION_COLUMNS, r.row, {
			year: 'year', certificate: 'certificate', own: 'own', issued: 'issued'
		});
		a.app.evaluationYears.push({
			year: num(r.values.year)!,
			certificate: str(r.values.certificate),
			own: bool(r.values.own),
			issued: num(r.values.issued)
		});
	}
	for (const r of venueRows) {
		const a = link(SHEET_VENUES, VENUE_COLUMNS, r);
		if (!a) continue;
		const j = a.app.venues.length;
		childAt(`applications[${a.index}].venues[${j}]`, SHEET_VENUES, VENUE_COLUMNS, r.row, {
			address: 'address', area: 'area', capacity: 'capacity', equipmentSets: 'equipmentSets', equipmentValue: 'equipmentValue'
		});
		a.app.venues.push({
			address: str(r.values.address),
			area: num(r.values.area),
			capacity: num(r.values.capacity),
			equipmentSets: num(r.values.equipmentSets),
			equipmentValue: num(r.values.equipmentValue)
		});
	}
	for (const r of peopleRows) {
		const a = link(SHEET_PEOPLE, PEOPLE_COLUMNS, r);
		if (!a) continue;
		const j = a.app.people.length;
		childAt(`applications[${a.index}].people[${j}]`, SHEET_PEOPLE, PEOPLE_COLUMNS, r.row, {
			role: 'role', name: 'name', workUnit: 'workUnit', title: 'title', specialty: 'specialty', fullTime: 'fullTime', phone: 'phone'
		});
		a.app.people.push({
			role: (str(r.values.role) ?? (a.app.type === 'evaluation' ? 'question-setter' : 'teacher')) as 'teacher' | 'question-setter',
			name: str(r.values.name) ?? '',
			workUnit: str(r.values.workUnit),
			title: str(r.values.title),
			specialty: str(r.values.specialty),
			fullTime: bool(r.values.fullTime),
			phone: str(r.values.phone)
		});
	}

	const order = [SHEET_MAIN, SHEET_TAXES, SHEET_TRAINING, SHEET_EVALUATION, SHEET_VENUES, SHEET_PEOPLE];
	const rank = (e: IntakeError) => [order.indexOf(e.sheet), e.row ?? 0];
	const errors = [...out.errors].sort((a, b) => {
		const [sa, ra] = rank(a);
		const [sb, rb] = rank(b);
		return sa - sb || ra - rb;
	});
	return {
		bundle: { institutions, applications: apps.map((a) => a.app) },
		errors,
		locations,
		derivedIds
	};
}

async function parseDetailed(buf: Buffer, fileName: string): Promise<Detailed> {
	const out = new Collector();
	const empty = (message: string): Detailed => ({
		bundle: { institutions: [], applications: [] },
		errors: [{ sheet: '', row: null, column: null, message }],
		locations: new Map(),
		derivedIds: new Set()
	});
	if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
		return empty('不是有效的 Excel 工作簿（.xlsx）：文件不是 Office Open XML 格式（旧版 .xls 请另存为 .xlsx）');
	}
	// Checked (zip bombs), repaired when another program saved it, opened; else one Chinese sentence.
	const opened = await openUserWorkbook(buf, fileName);
	if ('problem' in opened) return empty(opened.problem);
	try {
		return assemble(opened.wb, out);
	} catch {
		// A workbook exceljs opened but cannot walk (a shape no writer we know produces): the sentence, not a JS error.
		return empty(unreadableWorkbook(fileName));
	}
}

/** Reads a filled intake workbook into bundle objects, with every problem found (nothing thrown). */
export async function parseIntakeWorkbook(buf: Buffer, fileName = '上传的工作簿'): Promise<IntakeParse> {
	const { bundle, errors } = await parseDetailed(buf, fileName);
	return { bundle, errors };
}

/** Strips the last segment of a JSON path: `a[0].b.c` → `a[0].b` → `a[0]` → `a`. */
function parentPath(path: string): string | null {
	const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
	return m ? m[1] : null;
}

function locate(locations: Map<string, Loc>, path: string): Loc | undefined {
	for (let p: string | null = path; p; p = parentPath(p)) {
		const loc = locations.get(p);
		if (loc) return loc;
	}
	return undefined;
}

/**
 * Parses and imports an intake workbook in one transaction. Throws BundleImportError with paths
 * like `申报信息!R5C「职业」`; nothing is written on any error.
 */
export async function importIntakeWorkbook(db: Db, buf: Buffer, actor: Actor, fileName = '上传的工作簿', opts: { batchId?: string | null } = {}): Promise<ImportCounts> {
	const parsed = await parseDetailed(buf, fileName);
	if (parsed.errors.length) {
		throw new BundleImportError(parsed.errors.map((e) => ({ path: intakeErrorPath(e), message: e.message })));
	}
	const { bundle, locations, derivedIds } = parsed;

	// An institution identified only by its USCC keeps the id it already has in the database.
	const stored = db.select({ id: s.institutions.id, uscc: s.institutions.uscc }).from(s.institutions).orderBy(asc(s.institutions.id)).all();
	const explicit = new Set(bundle.institutions.filter((i) => !derivedIds.has(i.id)).map((i) => i.id));
	for (const inst of bundle.institutions) {
		if (!derivedIds.has(inst.id)) continue;
		const match = stored.find((r) => r.uscc === inst.uscc);
		if (match && match.id !== inst.id && !explicit.has(match.id)) {
			for (const a of bundle.applications) if (a.institutionId === inst.id) a.institutionId = match.id;
			inst.id = match.id;
		}
	}

	try {
		return importBundle(db, bundle, actor, opts);
	} catch (e) {
		if (!(e instanceof BundleImportError)) throw e;
		const mapped: BundleError[] = e.errors.map((err) => {
			const loc = locate(locations, err.path);
			return loc ? { path: intakeErrorPath(loc), message: err.message } : err;
		});
		throw new BundleImportError(mapped);
	}
}
