/**
 * Reads a filled Annex 1 (培训机构推荐表) or Annex 2 (评价机构推荐表) in the official layout of the
 * notice and turns it into a draft application. The tables are walked as rows of cell texts; a
 * field is a label cell followed by its value cell, or a header row followed by repeated rows.
 * Ticks (☑ √ ■ …) choose levels and 是/否. Fields that cannot be read are listed by their Chinese
 * names in `unread`; an empty field is not unread, it is just empty.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import type { Application, BundleError, Institution } from '../../domain/bundle';
import { OCCUPATIONS } from '../../domain/occupations';
import { REGIONS, isRegionKey } from '../../domain/regions';
import { CERTIFICATE_CATEGORIES, INDUSTRY_SECTIONS, LEVELS, UNIT_TYPES, isIndustryCode } from '../../domain/vocabulary';
import { importTarget, BundleImportError, importBundle, type ImportCounts } from '../services/bundle-import';
import { externalId, ID_SEPARATOR } from '../scope';
import { ZipError, archiveProblem, readZipFile } from './unzip';
import { docTextFromBody, isOle, wordBody } from './doc';

export type AnnexType = 'training' | 'evaluation';
export type AnnexProblem = { field: string; message: string };
export type AnnexParse = {
	type: AnnexType;
	app: Partial<Application>;
	institution: Partial<Institution>;
	/** Chinese names of the fields that could not be read (label missing or value not understood). */
	unread: string[];
	/** Why each unread field could not be read. */
	problems: AnnexProblem[];
};

/* ------------------------------------------------------------------ XML */

type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text?: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
		if (e[0] === '#') {
			const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
			return Number.isFinite(code) ? String.fromCodePoint(code) : m;
		}
		return ENTITIES[e] ?? m;
	});
}

/** A small non-validating XML parser: elements, attributes and text; enough for WordprocessingML. */
export function parseXml(xml: string): XmlNode {
	const root: XmlNode = { name: '#root', attrs: {}, children: [] };
	const stack: XmlNode[] = [root];
	const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([^\s/>]+)([^>]*?)(\/?)>|([^<]+)/g;
	for (let m = re.exec(xml); m; m = re.exec(xml)) {
		const top = stack[stack.length - 1];
		if (m[1] !== undefined) top.children.push({ name: '#text', attrs: {}, children: [], text: m[1] });
		else if (m[6] !== undefined) top.children.push({ name: '#text', attrs: {}, children: [], text: decodeEntities(m[6]) });
		else if (m[3] !== undefined) {
			if (m[2] === '/') {
				// Close the nearest open element of that name (tolerates stray closings).
				for (let i = stack.length - 1; i > 0; i--) {
					if (stack[i].name === m[3]) {
						stack.length = i;
						break;
					}
				}
				continue;
			}
			const attrs: Record<string, string> = {};
			for (const a of m[4].matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decodeEntities(a[3] ?? a[4] ?? '');
			const node: XmlNode = { name: m[3], attrs, children: [] };
			top.children.push(node);
			if (m[5] !== '/') stack.push(node);
		}
	}
	return root;
}

/* ------------------------------------------------------------------ document text */

/** Private-use code points of the Wingdings fonts Word uses for check boxes (w:sym). */
const SYMBOLS: Record<string, string> = {
	F052: '☑', F054: '☒', F0A3: '□', F0A1: '○', F050: '✓', F051: '✗', F0FE: '☑', F0FD: '☒', F0A8: '□', F06F: '□',
	F0FC: '✓', F078: '☒', F0A4: '◉', F06E: '■', F0A7: '■'
};

function paragraphText(n: XmlNode, out: string[]): void {
	for (const c of n.children) {
		switch (c.name) {
			case '#text':
				break;
			case 'w:t':
				out.push(c.children.map((x) => x.text ?? '').join(''));
				break;
			case 'w:tab':
				out.push(' ');
				break;
			case 'w:br':
			case 'w:cr':
				out.push('\n');
				break;
			case 'w:noBreakHyphen':
				out.push('-');
				break;
			case 'w:sym': {
				const code = (c.attrs['w:char'] ?? '').toUpperCase().padStart(4, '0');
				const ch = SYMBOLS[code] ?? SYMBOLS['F0' + code.slice(-2)];
				if (ch) out.push(ch);
				else if (/^[0-9A-F]{4}$/.test(code) && !code.startsWith('F')) out.push(String.fromCharCode(parseInt(code, 16)));
				break;
			}
			case 'w:delText':
			case 'w:instrText':
			case 'mc:Fallback':
			case 'w:tbl':
				break;
			default:
				paragraphText(c, out);
		}
	}
}

/** The text of a table cell: its paragraphs joined by line breaks (nested tables left out). */
function cellText(tc: XmlNode): string {
	const paras: string[] = [];
	const walk = (n: XmlNode) => {
		for (const c of n.children) {
			if (c.name === 'w:p') {
				const out: string[] = [];
				paragraphText(c, out);
				paras.push(out.join(''));
			} else if (c.name !== 'w:tbl' && c.name !== '#text' && c.name !== 'w:tcPr') walk(c);
		}
	};
	walk(tc);
	return paras.join('\n');
}

/** Children named `name`, looking through content controls and custom XML wrappers. */
function childrenNamed(n: XmlNode, name: string): XmlNode[] {
	const out: XmlNode[] = [];
	for (const c of n.children) {
		if (c.name === name) out.push(c);
		else if (c.name === 'w:sdt' || c.name === 'w:sdtContent' || c.name === 'w:customXml' || c.name === 'w:smartTag') {
			out.push(...childrenNamed(c, name));
		}
	}
	return out;
}

/**
 * What both readers give the form mapping: every table row as its cell texts (paragraphs of a cell
 * joined by line breaks) and the paragraphs outside tables. .docx: documentText below; .doc: doc.ts.
 */
export type DocText = { rows: string[][]; paragraphs: string[] };

/** Every table row of the document (nested tables too, in document order) and the body paragraphs. */
function documentText(root: XmlNode): DocText {
	const rows: string[][] = [];
	const paragraphs: string[] = [];
	const walk = (n: XmlNode, inTable: boolean) => {
		for (const c of n.children) {
			if (c.name === 'w:tbl') {
				for (const tr of childrenNamed(c, 'w:tr')) {
					const cells = childrenNamed(tr, 'w:tc');
					rows.push(cells.map(cellText));
					for (const tc of cells) walk(tc, true);
				}
			} else if (c.name === 'w:p' && !inTable) {
				const out: string[] = [];
				paragraphText(c, out);
				paragraphs.push(out.join(''));
			} else if (c.name !== '#text' && c.name !== 'w:p') walk(c, inTable);
		}
	};
	walk(root, false);
	return { rows, paragraphs };
}

/* ------------------------------------------------------------------ text helpers */

/** For matching labels: NFKC (full-width brackets and colons), no whitespace. */
export function norm(s: string): string {
	return s.normalize('NFKC').replace(/\s+/g, '');
}
/** A label without its bracketed notes: 注册资金（万元） → 注册资金. */
function core(s: string): string {
	return norm(s).replace(/\([^()]*\)/g, '');
}
function sameLabel(cell: string, label: string): boolean {
	const c = norm(cell);
	if (!c) return false;
	if (c === norm(label)) return true;
	const k = core(label);
	return k.length > 0 && core(cell) === k;
}

/** Lines trimmed (also full-width spaces), blank lines at both ends dropped. */
function lines(text: string): string[] {
	const ls = text.split('\n').map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''));
	while (ls.length && !ls[0]) ls.shift();
	while (ls.length && !ls[ls.length - 1]) ls.pop();
	return ls;
}
const shortText = (text: string) => lines(text).join('');

class FieldProblem extends Error {}

const MARKS = '☑✓✔√■☒▣◼●◉⊠✅☒';
const BOXES = '□☐◻○◯▢';

type Choice = { key: string; words: string[] };

/**
 * The options chosen in a cell: by tick marks when the cell has boxes (`初级☑ 中级□`, `☑是 □否`),
 * else by the option words written in it. Overlapping words count once (民营企业, not also 企业).
 */
function chooseAll(text: string, options: Choice[]): string[] {
	const t = norm(text).replace(/\([^()]*请[打勾选][^()]*\)/g, '');
	if (!t) return [];
	const hits: { key: string; start: number; end: number }[] = [];
	const all = options.flatMap((o) => o.words.map((w) => ({ key: o.key, w: norm(w) }))).sort((a, b) => b.w.length - a.w.length);
	for (const { key, w } of all) {
		for (let i = t.indexOf(w); i >= 0; i = t.indexOf(w, i + 1)) {
			if (!hits.some((h) => i < h.end && i + w.length > h.start)) hits.push({ key, start: i, end: i + w.length });
		}
	}
	const boxed = [...t].some((ch) => MARKS.includes(ch) || BOXES.includes(ch));
	if (boxed) {
		if (!hits.length) throw new FieldProblem(`“${shortText(text)}”中没有可识别的选项`);
		const before = MARKS.includes(t[0]) || BOXES.includes(t[0]);
		const chosen = hits.filter((h) => MARKS.includes((before ? t[h.start - 1] : t[h.end]) ?? ''));
		return [...new Set(chosen.sort((a, b) => a.start - b.start).map((h) => h.key))];
	}
	if (!hits.length) throw new FieldProblem(`“${shortText(text)}”无法识别`);
	return [...new Set(hits.sort((a, b) => a.start - b.start).map((h) => h.key))];
}

/** One option or none; several is a problem. */
function chooseOne(text: string, options: Choice[], what: string): string | null {
	const keys = chooseAll(text, options);
	if (keys.length > 1) throw new FieldProblem(`${what}只能选一项，却选了 ${keys.length} 项`);
	return keys[0] ?? null;
}

const YES_NO: Choice[] = [
	{ key: 'true', words: ['是', '有'] },
	{ key: 'false', words: ['否', '无'] }
];
function parseBool(text: string): boolean | null {
	const k = chooseOne(text, YES_NO, '是/否');
	return k === null ? null : k === 'true';
}

const UNIT = /(万元|万|元\/学时|元\/次|元|人次|人|平方米|m2|台套|台|套|个|名|次)$/;
function parseNum(text: string, integer: boolean): number {
	const raw = shortText(text);
	const t = norm(raw).replace(/,/g, '').replace(UNIT, '');
	if (!/^\d+(\.\d+)?$/.test(t)) throw new FieldProblem(`“${raw}”不是数字`);
	const n = Number(t);
	if (integer && !Number.isInteger(n)) throw new FieldProblem(`“${raw}”不是整数`);
	return n;
}
function parseYear(text: string): number {
	const raw = shortText(text);
	const m = /^(\d{4})年?度?$/.exec(norm(raw));
	if (!m) throw new FieldProblem(`年份“${raw}”无法识别`);
	return Number(m[1]);
}
const pad = (n: number) => String(n).padStart(2, '0');
function parseDate(text: string): string {
	const raw = shortText(text);
	const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(norm(raw));
	if (!m) throw new FieldProblem(`日期“${raw}”无法识别（应为 2012-03-01 或 2012年3月1日）`);
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const dt = new Date(Date.UTC(y, mo - 1, d));
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
		throw new FieldProblem(`“${raw}”不是有效的日期`);
	}
	return `${y}-${pad(mo)}-${pad(d)}`;
}

/** A narrative cell: the printed hint （主要包括：…字以内） dropped, paragraphs kept. */
function parseNarrative(text: string): string | null {
	let t = lines(text).join('\n');
	const open = t[0];
	if (open === '（' || open === '(') {
		let depth = 0;
		let end = -1;
		for (let i = 0; i < t.length; i++) {
			if (t[i] === '（' || t[i] === '(') depth++;
			else if (t[i] === '）' || t[i] === ')') {
				depth--;
				if (depth === 0) {
					end = i;
					break;
				}
			}
		}
		const hint = end > 0 ? t.slice(0, end + 1) : '';
		if (hint && /字以内|^[（(]\s*(主要|建设机制)/.test(hint)) t = t.slice(end + 1);
	}
	const out = lines(t).join('\n');
	return out || null;
}

const code = (text: string) => norm(text).toUpperCase() || null;

/* ------------------------------------------------------------------ the forms */

type Labels = ReturnType<typeof formLabels>;

/** The labels of the form (exactly as printed in the notice) and the field names used in `unread`. */
function formLabels(type: AnnexType) {
	const T = type === 'training';
	return {
		form: T ? '附件1' : '附件2',
		occupation: T ? '拟申报开展培训的职业（仅填一项）' : '拟申报开展评价的职业（仅填一项）',
		levels: T ? '拟申报开展培训的专业技术等级' : '拟申报开展评价的专业技术等级',
		name: '单位名称（盖章）',
		uscc: '统一社会信用代码',
		legalRep: '法定代表人',
		address: '单位地址',
		unitType: '单位类型',
		industry: '所属行业',
		registeredCapital: '注册资金（万元）',
		employees: '正式员工数',
		founded: '单位成立时间',
		taxes: '近三年纳税情况',
		nationalCE: '国家级专业技术人员继续教育基地',
		industryCE: '行业专业技术人员继续教育基地',
		provincialCE: '省级专业技术人员继续教育基地',
		standardDeveloper: '申报职业的国家职业标准开发单位',
		lead: '申报负责人',
		contact: '申报联系人',
		overview: '单位基本情况',
		conductsEvaluation: '是否开展评价',
		issuesCertificates: '是否颁发证书',
		years: T ? '近5年培训规模（人次）' : '近5年开展考核评价规模（人次）',
		certificateCategory: '证书类别',
		venues: '自有场地及设施设备情况',
		platform: '信息化平台建设情况',
		teamTotal: T ? '师资团队总人数' : '考评团队总人数',
		teamA: T ? '专职师资队伍人数' : '考评员队伍人数',
		teamB: T ? '兼职师资队伍人数' : '督导员队伍人数',
		people: T ? '培训教师姓名' : '命题专家姓名',
		peopleName: T ? '培训教师' : '命题专家',
		pastWork: T ? '已有培训情况简述' : '已开展考核评价情况简述',
		teamMechanism: T ? '师资团队建设机制简述' : '考评团队建设机制',
		planned: T ? '年度计划培训人数（人次）' : '年度计划考核人数（人次）',
		fees: T ? '培训费用（元/学时）' : '考核费用（元/次）',
		plan: T ? '下步培训工作规划' : '下步考核评价工作规划',
		reason: '推荐理由',
		unit: '推荐单位',
		date: '推荐日期'
	};
}

/** Field name in `unread` for a label: the printed label without its filling notes. */
const fieldName = (label: string) => label.replace(/（(仅填一项|盖章)）/g, '');

class FormReader {
	unread: string[] = [];
	problems: AnnexProblem[] = [];
	private known: Set<string>;
	constructor(
		private rows: string[][],
		private L: Labels
	) {
		this.known = new Set(
			Object.entries(L)
				.filter(([k]) => k !== 'form' && k !== 'peopleName')
				.map(([, v]) => core(v))
		);
		for (const extra of ['培训总规模', '其中独立培训规模', '总规模', '其中自有证书规模', '申报单位基本情况', '已有基础', '下一步工作方案']) {
			this.known.add(core(extra));
		}
	}

	fail(field: string, message: string) {
		if (!this.unread.includes(field)) this.unread.push(field);
		this.problems.push({ field, message });
	}

	find(label: string, from = 0): { r: number; c: number } | null {
		for (let r = from; r < this.rows.length; r++) {
			const c = this.rows[r].findIndex((cell) => sameLabel(cell, label));
			if (c >= 0) return { r, c };
		}
		return null;
	}

	isKnown(cell: string): boolean {
		return this.known.has(core(cell));
	}

	cell(r: number, c: number): string {
		return this.rows[r]?.[c] ?? '';
	}

	/** label → next cell → parse; null when empty, unreadable or missing (the latter two recorded). */
	field<T>(label: string, parse: (text: string) => T, name = fieldName(label)): T | null {
		const at = this.find(label);
		if (!at) {
			this.fail(name, `表格中找不到“${fieldName(label)}”一栏`);
			return null;
		}
		const text = this.cell(at.r, at.c + 1);
		if (!norm(text)) return null;
		try {
			return parse(text);
		} catch (e) {
			if (!(e instanceof FieldProblem)) throw e;
			this.fail(name, e.message);
			return null;
		}
	}

	/** Runs a parse on a value already located; records the problem under `name`. */
	value<T>(name: string, text: string, parse: (text: string) => T): T | null {
		if (!norm(text)) return null;
		try {
			return parse(text);
		} catch (e) {
			if (!(e instanceof FieldProblem)) throw e;
			this.fail(name, e.message);
			return null;
		}
	}

	/**
	 * A header row and the rows under it. With `labelled` the first header cell is the block's label
	 * (merged down over the data rows, which leave it empty); else the label is the first header.
	 * Data rows are returned aligned with `headers`; blank rows and "……" rows are skipped.
	 */
	block(label: string, headers: string[], labelled: boolean, name = fieldName(label)): string[][] | null {
		const at = this.find(label);
		if (!at) {
			this.fail(name, `表格中找不到“${name}”一栏`);
			return null;
		}
		const head = this.rows[at.r];
		const idx: number[] = [];
		for (const h of headers) {
			const i = head.findIndex((cell, k) => k > (labelled ? at.c : at.c - 1) && sameLabel(cell, h));
			if (i < 0) {
				this.fail(name, `“${name}”缺少表头“${fieldName(h)}”`);
				return null;
			}
			idx.push(i);
		}
		const out: string[][] = [];
		for (let r = at.r + 1; r < this.rows.length; r++) {
			const row = this.rows[r];
			if (row.length !== head.length) break;
			if (labelled && norm(row[at.c] ?? '')) break;
			if (row.some((cell) => this.isKnown(cell))) break;
			const values = idx.map((i) => row[i] ?? '');
			if (values.every((v) => !norm(v) || /^[.…。]+$/.test(norm(v)))) continue;
			out.push(values);
		}
		return out;
	}
}

const LEVEL_CHOICES: Choice[] = LEVELS.map((l) => ({ key: l.key, words: [l.label] }));
const OCCUPATION_CHOICES: Choice[] = OCCUPATIONS.map((o) => ({ key: o.key, words: [o.label, o.short] }));
const UNIT_TYPE_CHOICES: Choice[] = UNIT_TYPES.map((u) => ({ key: u.key, words: [u.label] }));
const CERTIFICATE_CHOICES: Choice[] = CERTIFICATE_CATEGORIES.map((c) => ({
	key: c.key,
	words: c.key === 'other' ? [c.label, '其它类型证书'] : c.key === 'upgraded-qualification' ? [c.label, '升级改造'] : [c.label]
}));
const NATURE_CHOICES: Choice[] = [
	{ key: 'true', words: ['自有证书', '自有'] },
	{ key: 'false', words: ['其它机构证书', '其他机构证书', '其它机构', '其他机构', '其它', '其他'] }
];
const FULL_TIME_CHOICES: Choice[] = [
	{ key: 'true', words: ['专职师资', '专职'] },
	{ key: 'false', words: ['兼职师资', '兼职'] }
];

function parseIndustry(text: string): string {
	const t = shortText(text).normalize('NFKC');
	const m = /^([A-Ta-t])\s*(\d{2})?(?![A-Za-z0-9])/.exec(t);
	if (m) {
		const c = m[1].toUpperCase() + (m[2] ?? '');
		if (!isIndustryCode(c)) throw new FieldProblem(`行业代码“${c}”不属于 GB/T 4754—2017`);
		return c;
	}
	const n = norm(t);
	const section = INDUSTRY_SECTIONS.find((x) => n.includes(norm(x.label)));
	if (!section) throw new FieldProblem(`“${shortText(text)}”不是 GB/T 4754—2017 的门类，请写门类字母或名称（如 I65 或 信息传输、软件和信息技术服务业）`);
	return section.key;
}

function readForm(doc: DocText, type: AnnexType): AnnexParse {
	const L = formLabels(type);
	const f = new FormReader(doc.rows, L);
	const T = type === 'training';
	const app: Partial<Application> = { type };
	const inst: Partial<Institution> = {};

	app.occupation =
		f.field(L.occupation, (t) => {
			let keys: string[] = [];
			try {
				keys = chooseAll(t, OCCUPATION_CHOICES);
			} catch {
				// reported below as not one of the ten
			}
			if (keys.length > 1) throw new FieldProblem('职业仅填一项，却填了多个');
			if (!keys.length) throw new FieldProblem(`“${shortText(t)}”不是十个职业之一`);
			return keys[0];
		}) ?? undefined;
	const levels = f.field(L.levels, (t) => chooseAll(t, LEVEL_CHOICES));
	app.levels = LEVELS.map((l) => l.key).filter((k) => levels?.includes(k));

	inst.name = f.field(L.name, shortText) ?? undefined;
	inst.uscc = f.field(L.uscc, code);

	// 法定代表人: [法定代表人][姓名][身份证号] over [ ][name][id]; or all in one row.
	const rep = f.find(L.legalRep);
	if (!rep) {
		f.fail('法定代表人姓名', '表格中找不到“法定代表人”一栏');
		f.fail('法定代表人身份证号', '表格中找不到“法定代表人”一栏');
		inst.legalRep = null;
	} else {
		const row = doc.rows[rep.r];
		const iName = row.findIndex((c, k) => k > rep.c && sameLabel(c, '姓名'));
		const iId = row.findIndex((c, k) => k > rep.c && sameLabel(c, '身份证号'));
		const oneRow = iName >= 0 && iId >= 0 && iId !== iName + 1;
		const at = (i: number) => (i < 0 ? '' : oneRow ? f.cell(rep.r, i + 1) : f.cell(rep.r + 1, i));
		if (iName < 0) f.fail('法定代表人姓名', '“法定代表人”一栏缺少“姓名”');
		if (iId < 0) f.fail('法定代表人身份证号', '“法定代表人”一栏缺少“身份证号”');
		const name = iName < 0 ? null : f.value('法定代表人姓名', at(iName), shortText);
		const idNumber = iId < 0 ? null : f.value('法定代表人身份证号', at(iId), code);
		inst.legalRep = name === null && idNumber === null ? null : { name, idNumber };
	}
	inst.address = f.field(L.address, shortText);
	inst.unitType = f.field(L.unitType, (t) => chooseOne(t, UNIT_TYPE_CHOICES, '单位类型'));
	inst.industry = f.field(L.industry, parseIndustry);
	inst.registeredCapital = f.field(L.registeredCapital, (t) => parseNum(t, false));
	inst.employees = f.field(L.employees, (t) => parseNum(t, true));
	inst.founded = f.field(L.founded, parseDate);

	const taxName = fieldName(L.taxes);
	inst.taxes = [];
	for (const [y, amount, dishonest] of f.block(L.taxes, ['年份', '税额（万元）', '是否有失信行为（从信用中国平台查询后填）'], true) ?? []) {
		const year = norm(y) ? f.value(taxName, y, parseYear) : (f.fail(taxName, '有一行缺少年份'), null);
		if (year === null) continue;
		inst.taxes.push({
			year,
			amount: f.value(taxName, amount, (t) => parseNum(t, false)),
			dishonest: f.value(taxName, dishonest, parseBool)
		});
	}

	const bases = {
		nationalCE: f.field(L.nationalCE, parseBool),
		industryCE: f.field(L.industryCE, parseBool),
		provincialCE: f.field(L.provincialCE, parseBool),
		standardDeveloper: f.field(L.standardDeveloper, parseBool)
	};
	inst.bases = Object.values(bases).every((v) => v === null) ? null : bases;

	// 申报负责人 / 申报联系人: [label][姓名][v][电话][v] over [ ][职务][v][邮箱][v].
	const person = (label: string) => {
		const at = f.find(label);
		if (!at) {
			f.fail(label, `表格中找不到“${label}”一栏`);
			return null;
		}
		const sub = (word: string) => {
			for (const r of [at.r, at.r + 1]) {
				const row = doc.rows[r] ?? [];
				const i = row.findIndex((c, k) => k > at.c && sameLabel(c, word));
				if (i >= 0) return shortText(row[i + 1] ?? '') || null;
			}
			f.fail(label, `“${label}”一栏缺少“${word}”`);
			return null;
		};
		const p = { name: sub('姓名'), title: sub('职务'), phone: sub('电话'), email: sub('邮箱') };
		return Object.values(p).every((v) => v === null) ? null : p;
	};
	app.lead = person(L.lead);
	app.contact = person(L.contact);

	app.overview = f.field(L.overview, parseNarrative);

	app.trainingYears = [];
	app.evaluationYears = [];
	const yearsName = fieldName(L.years);
	if (T) {
		for (const [y, total, independent, cooperative] of f.block(L.years, ['年度', '培训人数', '独立培训人数', '合作培训人数'], true) ?? []) {
			const year = norm(y) ? f.value(yearsName, y, parseYear) : (f.fail(yearsName, '有一行缺少年度'), null);
			if (year === null) continue;
			app.trainingYears.push({
				year,
				total: f.value(yearsName, total, (t) => parseNum(t, true)),
				independent: f.value(yearsName, independent, (t) => parseNum(t, true)),
				cooperative: f.value(yearsName, cooperative, (t) => parseNum(t, true))
			});
		}
		app.conductsEvaluation = null;
		app.issuesCertificates = null;
		app.certificateCategory = null;
	} else {
		app.conductsEvaluation = f.field(L.conductsEvaluation, parseBool);
		app.issuesCertificates = f.field(L.issuesCertificates, parseBool);
		for (const [y, certificate, nature, issued] of f.block(L.years, ['年度', '证书名称', '证书性质（自有证书或其它机构证书）', '颁证数量'], true) ?? []) {
			const year = norm(y) ? f.value(yearsName, y, parseYear) : (f.fail(yearsName, '有一行缺少年度'), null);
			if (year === null) continue;
			const own = f.value(yearsName, nature, (t) => chooseOne(t, NATURE_CHOICES, '证书性质'));
			app.evaluationYears.push({
				year,
				certificate: shortText(certificate) || null,
				own: own === null ? null : own === 'true',
				issued: f.value(yearsName, issued, (t) => parseNum(t, true))
			});
		}
		app.certificateCategory = f.field(L.certificateCategory, (t) => chooseOne(t, CERTIFICATE_CHOICES, '证书类别'));
	}

	const venuesName = fieldName(L.venues);
	app.venues = (f.block(L.venues, ['场地地址', '场地面积', '容纳人数', '设施设备台套', '设施设备总值'], true) ?? []).map(
		([address, area, capacity, sets, value]) => ({
			address: shortText(address) || null,
			area: f.value(venuesName, area, (t) => parseNum(t, false)),
			capacity: f.value(venuesName, capacity, (t) => parseNum(t, true)),
			equipmentSets: f.value(venuesName, sets, (t) => parseNum(t, true)),
			equipmentValue: f.value(venuesName, value, (t) => parseNum(t, false))
		})
	);

	app.platform = f.field(L.platform, parseNarrative);

	const total = f.field(L.teamTotal, (t) => parseNum(t, true));
	const a = f.field(L.teamA, (t) => parseNum(t, true));
	const b = f.field(L.teamB, (t) => parseNum(t, true));
	app.team =
		total === null && a === null && b === null
			? null
			: T
				? { total, fullTime: a, partTime: b, assessors: null, supervisors: null }
				: { total, fullTime: null, partTime: null, assessors: a, supervisors: b };

	const peopleName = L.peopleName;
	app.people = [];
	const headers = T
		? [L.people, '工作单位', '专业技术职务/职称', '专业', '人员性质', '联系电话']
		: [L.people, '工作单位', '专业技术职务/职称', '联系电话'];
	for (const row of f.block(L.people, headers, false, peopleName) ?? []) {
		const name = shortText(row[0]);
		if (!name) {
			f.fail(peopleName, '有一行缺少姓名');
			continue;
		}
		const text = (i: number) => shortText(row[i] ?? '') || null;
		if (T) {
			const full = f.value(peopleName, row[4], (t) => chooseOne(t, FULL_TIME_CHOICES, '人员性质'));
			app.people.push({
				role: 'teacher',
				name,
				workUnit: text(1),
				title: text(2),
				specialty: text(3),
				fullTime: full === null ? null : full === 'true',
				phone: text(5)
			});
		} else {
			app.people.push({ role: 'question-setter', name, workUnit: text(1), title: text(2), specialty: null, fullTime: null, phone: text(3) });
		}
	}

	app.pastWork = f.field(L.pastWork, parseNarrative);
	app.teamMechanism = f.field(L.teamMechanism, parseNarrative);

	// 年度计划人数 and 费用 share three rows: [label][初级][v][label][初级][v] …
	const plannedAt = f.find(L.planned);
	const feesAt = f.find(L.fees);
	const plannedName = fieldName(L.planned);
	const feesName = fieldName(L.fees);
	if (!plannedAt) f.fail(plannedName, `表格中找不到“${plannedName}”一栏`);
	if (!feesAt) f.fail(feesName, `表格中找不到“${feesName}”一栏`);
	const planned: Record<string, number | null> = { junior: null, intermediate: null, senior: null };
	const fees: Record<string, number | null> = { junior: null, intermediate: null, senior: null };
	const start = plannedAt?.r ?? feesAt?.r;
	if (start !== undefined) {
		for (let r = start; r < Math.min(start + 3, doc.rows.length); r++) {
			const row = doc.rows[r];
			const pairs = row
				.map((c, i) => ({ i, level: LEVELS.find((l) => norm(c) === l.label)?.key }))
				.filter((p): p is { i: number; level: (typeof LEVELS)[number]['key'] } => p.level !== undefined);
			if (!pairs.length) break;
			const take = (p: (typeof pairs)[number] | undefined, target: Record<string, number | null>, name: string, integer: boolean) => {
				if (p) target[p.level] = f.value(name, row[p.i + 1] ?? '', (t) => parseNum(t, integer));
			};
			if (plannedAt && feesAt) {
				take(pairs.find((p) => p.i < feesAt.c || feesAt.r !== plannedAt.r), planned, plannedName, true);
				take(pairs.find((p) => p.i > feesAt.c && feesAt.r === plannedAt.r), fees, feesName, false);
			} else if (plannedAt) take(pairs[0], planned, plannedName, true);
			else take(pairs[pairs.length - 1], fees, feesName, false);
		}
	}
	app.planned = Object.values(planned).every((v) => v === null) ? null : (planned as Application['planned']);
	app.fees = Object.values(fees).every((v) => v === null) ? null : (fees as Application['fees']);

	app.plan = f.field(L.plan, parseNarrative);

	// 推荐理由 cell: reason, then 推荐单位（盖章）：…, 推荐单位负责人签字, 年 月 日.
	let recommendation: Application['recommendation'] = null;
	const recAt = doc.rows.flatMap((row, r) => row.map((c, i) => ({ r, i, c }))).find((x) => norm(x.c).startsWith('推荐理由'));
	if (!recAt) {
		for (const n of [L.reason, L.unit, L.date]) f.fail(n, '表格中找不到“推荐理由”一栏');
	} else {
		const ls = recAt.c.split('\n');
		const first = ls.findIndex((l) => norm(l).startsWith('推荐理由'));
		const reason: string[] = [];
		let unit: string | null = null;
		let date: string | null = null;
		let part: 'reason' | 'after' = 'reason';
		ls.slice(first + 1).forEach((line) => {
			const n = norm(line);
			if (/^推荐单位(\(盖章\))?:/.test(n)) {
				part = 'after';
				unit = line.replace(/^[\s\u3000]*推荐单位[\s\u3000]*(?:[（(]盖章[）)])?[\s\u3000]*[：:]/, '').trim() || null;
			} else if (n.startsWith('推荐单位负责人')) {
				part = 'after';
			} else if (part === 'after' && /年.*月.*日/.test(n)) {
				if (/\d/.test(n)) date = f.value(L.date, n.replace(/^.*?(\d{4}年)/, '$1'), parseDate);
			} else if (part === 'reason') reason.push(line);
		});
		// The label line: 推荐理由（包括…）：text
		const rest = ls[first].replace(/^[\s\u3000]*推荐理由[\s\u3000]*(?:[（(][^）)]*[）)])?[\s\u3000]*[：:]?/, '');
		if (rest.trim()) reason.unshift(rest);
		const text = lines(reason.join('\n')).join('\n') || null;
		recommendation = text === null && unit === null && date === null ? null : { reason: text, unit, date };
	}
	app.recommendation = recommendation;
	app.attachments = null;

	return { type, app, institution: inst, unread: f.unread, problems: f.problems };
}

/* ------------------------------------------------------------------ entry points */

/** Which annex a document is: by its first table labels, else by its title. */
function detectType(doc: DocText): AnnexType | null {
	const has = (label: string) => doc.rows.some((row) => row.some((c) => sameLabel(c, label)));
	const training = ['拟申报开展培训的职业（仅填一项）', '拟申报开展培训的专业技术等级', '近5年培训规模（人次）', '培训教师姓名'].filter(has).length;
	const evaluation = ['拟申报开展评价的职业（仅填一项）', '拟申报开展评价的专业技术等级', '近5年开展考核评价规模（人次）', '命题专家姓名'].filter(has).length;
	if (training > evaluation) return 'training';
	if (evaluation > training) return 'evaluation';
	if (training === 0 && has('单位名称（盖章）')) {
		const title = doc.paragraphs.map(norm).join('');
		if (title.includes('培训机构推荐表')) return 'training';
		if (title.includes('评价机构推荐表')) return 'evaluation';
	}
	return null;
}

const fileError = (message: string) => new BundleImportError([{ path: '(文件)', message }]);

/** Reads a filled Annex 1 or 2. Throws BundleImportError when the file is not such a document. */
export function parseAnnexDocx(buf: Buffer): AnnexParse {
	let xml: Buffer | null;
	try {
		xml = readZipFile(buf, 'word/document.xml');
	} catch (e) {
		if (e instanceof ZipError) throw fileError(`不是有效的 Word 文档（.docx 或 .doc）：${e.message}`);
		throw e;
	}
	if (!xml) throw fileError('不是 Word 文档（.docx）：压缩包里没有 word/document.xml');
	let doc: ReturnType<typeof documentText>;
	try {
		doc = documentText(parseXml(xml.toString('utf8')));
	} catch (e) {
		// A hostile document nested deeper than the reader's recursion goes.
		if (e instanceof RangeError) throw fileError('Word 文档的结构嵌套过深，无法读取');
		throw e;
	}
	return readAnnex(doc);
}

/** The form mapping over rows and cells, whichever format they came from. */
export function readAnnex(doc: DocText): AnnexParse {
	const type = detectType(doc);
	if (!type) throw fileError('没有找到附件1（培训机构推荐表）或附件2（评价机构推荐表）的表格');
	return readForm(doc, type);
}

/** Reads a filled Annex 1 or 2 as .docx (a zip) or Word 97–2003 .doc (an OLE file), by its content. */
export async function parseAnnexWord(buf: Buffer): Promise<AnnexParse> {
	if (isOle(buf)) return readAnnex(docTextFromBody(await wordBody(buf)));
	return parseAnnexDocx(buf);
}

/** The region of a city's recommending unit, as written: 沈阳市人力资源和社会保障局 → shenyang. */
export function regionFromUnit(text: string | null | undefined): string | null {
	if (!text) return null;
	const n = norm(text);
	let best: { key: string; at: number; len: number } | null = null;
	for (const r of REGIONS) {
		for (const w of [r.unit, r.label]) {
			const at = n.indexOf(norm(w));
			if (at >= 0 && (!best || at < best.at || (at === best.at && w.length > best.len))) best = { key: r.key, at, len: w.length };
		}
	}
	return best?.key ?? null;
}

/** Liaoning prefecture codes (GB/T 2260) in positions 3–6 of a USCC: 2101 沈阳 … 2114 葫芦岛. */
const DIVISION_REGIONS: Record<string, string> = {
	'2101': 'shenyang', '2102': 'dalian', '2103': 'anshan', '2104': 'fushun', '2105': 'benxi', '2106': 'dandong',
	'2107': 'jinzhou', '2108': 'yingkou', '2109': 'fuxin', '2110': 'liaoyang', '2111': 'panjin', '2112': 'tieling',
	'2113': 'chaoyang', '2114': 'huludao'
};
export function regionFromUscc(uscc: string | null | undefined): string | null {
	if (!uscc || uscc.length < 6) return null;
	return DIVISION_REGIONS[uscc.slice(2, 6)] ?? null;
}

export type AnnexImportOptions = {
	/** The batch the draft goes into (else the default batch). */
	batchId?: string;
	region?: string;
	id?: string;
	/**
	 * A city's import: refuse (nothing written) when the application it would overwrite belongs to
	 * another region, or when the institution (same id or same USCC) has applications in another
	 * region. Checked inside the import's transaction.
	 */
	onlyRegion?: string;
	/** The uploaded file's name, for the zip-bomb refusal. */
	fileName?: string;
};
export type AnnexImportResult = {
	counts: ImportCounts;
	type: AnnexType;
	applicationId: string;
	institutionId: string;
	region: string;
	unread: string[];
	problems: AnnexProblem[];
};

/** Maps importBundle's JSON paths back to the form's field names. */
function fieldOfPath(path: string, L: Labels): string {
	const map: Record<string, string> = {
		'applications[0].id': '申报编号',
		'applications[0].region': '地区',
		'applications[0].occupation': L.occupation,
		'applications[0].levels': L.levels,
		'applications[0].lead': L.lead,
		'applications[0].contact': L.contact,
		'applications[0].overview': L.overview,
		'applications[0].platform': L.platform,
		'applications[0].pastWork': L.pastWork,
		'applications[0].teamMechanism': L.teamMechanism,
		'applications[0].plan': L.plan,
		'applications[0].trainingYears': L.years,
		'applications[0].evaluationYears': L.years,
		'applications[0].conductsEvaluation': L.conductsEvaluation,
		'applications[0].issuesCertificates': L.issuesCertificates,
		'applications[0].certificateCategory': L.certificateCategory,
		'applications[0].venues': L.venues,
		'applications[0].team.total': L.teamTotal,
		'applications[0].team.fullTime': L.teamA,
		'applications[0].team.assessors': L.teamA,
		'applications[0].team.partTime': L.teamB,
		'applications[0].team.supervisors': L.teamB,
		'applications[0].people': L.peopleName,
		'applications[0].planned': L.planned,
		'applications[0].fees': L.fees,
		'applications[0].recommendation.reason': L.reason,
		'applications[0].recommendation.unit': L.unit,
		'applications[0].recommendation.date': L.date,
		'institutions[0].name': L.name,
		'institutions[0].uscc': L.uscc,
		'institutions[0].legalRep.name': '法定代表人姓名',
		'institutions[0].legalRep.idNumber': '法定代表人身份证号',
		'institutions[0].address': L.address,
		'institutions[0].unitType': L.unitType,
		'institutions[0].industry': L.industry,
		'institutions[0].registeredCapital': L.registeredCapital,
		'institutions[0].employees': L.employees,
		'institutions[0].founded': L.founded,
		'institutions[0].taxes': L.taxes,
		'institutions[0].bases.nationalCE': L.nationalCE,
		'institutions[0].bases.industryCE': L.industryCE,
		'institutions[0].bases.provincialCE': L.provincialCE,
		'institutions[0].bases.standardDeveloper': L.standardDeveloper
	};
	for (let p: string | null = path; p; p = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(p)?.[1] ?? null) {
		if (map[p]) return `${L.form}「${fieldName(map[p])}」`;
	}
	return `${L.form} ${path}`;
}

/** A refusal of `onlyRegion`; its paths already name the form field. */
class RegionRefusal extends BundleImportError {}

/**
 * The one refusal of a city's import that touches another region: the same sentence, on the form
 * as a whole, whether the application or the institution (by id or USCC) is held elsewhere — it
 * names neither the other region, nor the USCC, nor the application or its status.
 */
export const OTHER_REGION_REFUSAL = '不能作为本地区的申报草稿导入：本地区没有可修改的同一申报或单位，或您无权修改；请联系省厅人才开发处';

/**
 * `onlyRegion`: the application to be overwritten must be of that region, and the institution (by
 * id or USCC) must have no application in another region. A city may not learn what it cannot see:
 * both cases answer OTHER_REGION_REFUSAL.
 */
function refuseOtherRegion(tx: Db, region: string, applicationId: string, institutionId: string, uscc: string | null, form: string): void {
	const refuse = () => {
		throw new RegionRefusal([{ path: form, message: OTHER_REGION_REFUSAL }]);
	};
	const target = tx.select({ region: s.applications.region }).from(s.applications).where(eq(s.applications.id, applicationId)).get();
	if (target && target.region !== region) refuse();
	const institutionIds = new Set([institutionId]);
	if (uscc) {
		for (const r of tx.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.uscc, uscc)).all()) institutionIds.add(r.id);
	}
	const elsewhere = tx
		.select({ id: s.applications.id })
		.from(s.applications)
		.where(and(inArray(s.applications.institutionId, [...institutionIds]), ne(s.applications.region, region)))
		.get();
	if (elsewhere) refuse();
}

/**
 * Imports a filled Annex 1 or 2 (.docx, or Word 97–2003 .doc) as a DRAFT application (status 'draft', upsert by id) with its
 * institution, in one transaction. Region: `opts.region`, else the recommending unit, else the
 * USCC's division code. Institution id: the stored institution with the same USCC, else
 * `inst-<USCC>`, else one derived from the name. Application id: `opts.id`, else the stored draft of
 * the same institution, occupation and type, else `app-<USCC>-<type>-<occupation>`.
 * `opts.onlyRegion` (a city's import) refuses another region's application or institution.
 * Throws BundleImportError (nothing written) naming the form field.
 */
export async function importAnnexDocx(db: Db, buf: Buffer, actor: Actor, opts: AnnexImportOptions = {}): Promise<AnnexImportResult> {
	// Entry count, declared and actual inflated sizes of the whole archive, as for every .xlsx path.
	if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) {
		const bomb = await archiveProblem(buf, opts.fileName ?? '上传的文档');
		if (bomb) throw fileError(bomb);
	}
	const parsed = await parseAnnexWord(buf);
	const L = formLabels(parsed.type);
	const fail = (field: string, message: string): never => {
		throw new BundleImportError([{ path: `${L.form}「${fieldName(field)}」`, message }]);
	};
	const { app: a, institution: i } = parsed;
	if (!i.name) fail(L.name, parsed.unread.includes(fieldName(L.name)) ? '未能读取单位名称，无法建立申报草稿' : '单位名称为空，无法建立申报草稿');
	if (!a.occupation) {
		const why = parsed.problems.find((p) => p.field === fieldName(L.occupation))?.message;
		fail(L.occupation, `未能读取职业，无法建立申报草稿${why ? `（${why}）` : ''}`);
	}

	let region: string | null;
	if (opts.region !== undefined) {
		if (!isRegionKey(opts.region)) throw new BundleImportError([{ path: 'region', message: `未知的地区 "${opts.region}"` }]);
		region = opts.region;
	} else {
		region = regionFromUnit(a.recommendation?.unit) ?? regionFromUscc(i.uscc);
		if (!region) {
			fail(L.unit, '无法确定申报所属地区：推荐单位无法识别，统一社会信用代码也不含辽宁省各市的行政区划代码；请在导入时指定地区');
		}
	}

	const uscc = i.uscc ?? null;
	const stored = uscc ? db.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.uscc, uscc)).get() : undefined;
	const byName = db.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.name, i.name!)).get();
	const institutionId =
		stored?.id ??
		(uscc && /^[0-9A-Z]{1,90}$/.test(uscc) ? `inst-${uscc}` : byName?.id ?? `inst-${createHash('sha256').update(i.name!).digest('hex').slice(0, 12)}`);

	// The draft goes into the batch asked for (else the default batch): only its applications are reused.
	const target = importTarget(db, {}, opts.batchId);
	if ('path' in target) throw new BundleImportError([target]);
	const existing = db
		.select({ id: s.applications.id, status: s.applications.status })
		.from(s.applications)
		.where(
			and(
				eq(s.applications.batchId, target.id),
				eq(s.applications.institutionId, institutionId),
				eq(s.applications.occupation, a.occupation!),
				eq(s.applications.type, parsed.type)
			)
		)
		.all()
		.map((r) => ({ ...r, id: externalId(r.id, target.id) }));
	const applicationId =
		opts.id ?? existing.find((x) => x.status === 'draft')?.id ?? existing[0]?.id ?? `app-${institutionId.replace(/^inst-/, '')}-${parsed.type}-${a.occupation}`;
	// A city learns nothing about another region's application (not even its status) from the refusal.
	if (opts.onlyRegion !== undefined) refuseOtherRegion(db, opts.onlyRegion, applicationId, institutionId, uscc, L.form);
	const current = db
		.select({ status: s.applications.status })
		.from(s.applications)
		.where(and(eq(s.applications.batchId, target.id), inArray(s.applications.id, [applicationId, `${applicationId}${ID_SEPARATOR}${target.id}`])))
		.get();
	if (current && current.status !== 'draft') {
		throw new BundleImportError([
			{ path: `${L.form}「申报编号」`, message: `申报 "${applicationId}" 已经提交（状态 ${current.status}），不能用附件覆盖；请先退回或另行新建` }
		]);
	}

	const institution: Institution = {
		id: institutionId,
		name: i.name!,
		uscc,
		legalRep: i.legalRep ?? null,
		address: i.address ?? null,
		unitType: i.unitType ?? null,
		industry: i.industry ?? null,
		registeredCapital: i.registeredCapital ?? null,
		employees: i.employees ?? null,
		founded: i.founded ?? null,
		taxes: i.taxes ?? [],
		bases: i.bases ?? null
	};
	const application: Application = {
		id: applicationId,
		institutionId,
		type: parsed.type,
		occupation: a.occupation!,
		levels: a.levels ?? [],
		region: region!,
		lead: a.lead ?? null,
		contact: a.contact ?? null,
		overview: a.overview ?? null,
		platform: a.platform ?? null,
		pastWork: a.pastWork ?? null,
		teamMechanism: a.teamMechanism ?? null,
		plan: a.plan ?? null,
		trainingYears: a.trainingYears ?? [],
		evaluationYears: a.evaluationYears ?? [],
		conductsEvaluation: a.conductsEvaluation ?? null,
		issuesCertificates: a.issuesCertificates ?? null,
		certificateCategory: a.certificateCategory ?? null,
		venues: a.venues ?? [],
		team: a.team ?? null,
		people: a.people ?? [],
		planned: a.planned ?? null,
		fees: a.fees ?? null,
		attachments: null,
		recommendation: a.recommendation ?? null
	};

	let storedId = applicationId;
	try {
		const counts = db.transaction((tx) => {
			if (opts.onlyRegion !== undefined) refuseOtherRegion(tx as unknown as Db, opts.onlyRegion, applicationId, institutionId, uscc, L.form);
			const c = importBundle(tx as unknown as Db, { institutions: [institution], applications: [application] }, actor, { batchId: opts.batchId });
			const stored = tx
				.select({ id: s.applications.id })
				.from(s.applications)
				.where(and(eq(s.applications.batchId, target.id), inArray(s.applications.id, [applicationId, `${applicationId}${ID_SEPARATOR}${target.id}`])))
				.get()!.id;
			storedId = stored;
			tx.update(s.applications).set({ status: 'draft', submittedAt: null }).where(eq(s.applications.id, stored)).run();
			audit(tx, actor, 'application.import-docx', 'application', stored, {
				form: L.form,
				unread: parsed.unread.length
			});
			return c;
		});
		return { counts, type: parsed.type, applicationId: storedId, institutionId, region: region!, unread: parsed.unread, problems: parsed.problems };
	} catch (e) {
		if (!(e instanceof BundleImportError) || e instanceof RegionRefusal) throw e;
		throw new BundleImportError(e.errors.map((err: BundleError) => ({ path: fieldOfPath(err.path, L), message: err.message })));
	}
}
