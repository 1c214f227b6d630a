/**
 * An independent conformance audit of the command-line contract of docs/bundle.md against the
 * rules of docs/domain.md: small hand-written bundles that probe each rule at its edges, run
 * through `import` and then `check`, `coi`, `assign` or `results` with `--json`. Expected values
 * are worked out by hand (in the comments), not with the app's own functions: the check
 * characters of the codes and ID numbers below were computed with the GB 32100 / GB 11643
 * weights outside the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeJson } from './helpers';

type Json = Record<string, any>;

/* ---------- Building blocks ---------- */

// GB 32100 check characters computed by hand (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, mod 31).
const USCC_A = '91210100MA0Q8K3L7X';
const USCC_B = '52210200MJ1234567U';
const USCC_CHECK_0 = '91210100MA0Q8K3L08'; // check character 0
const USCC_C = '12210000MB0000001J';
// GB 11643 check digits computed by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mod 11 → 1 0 X 9 8 7 6 5 4 3 2).
const ID_A = '210102198001011232';
const ID_LEAP_X = '21010220000229123X'; // 2000-02-29 exists; check character X
const ID_C = '210102199612310017';

/** Generous quotas so that only the quota tests meet QUOTA_EXCEEDED. */
const OPEN_QUOTAS = { training: { default: 99 }, evaluation: { default: 99 } };

function inst(o: Json = {}): Json {
	return {
		id: 'inst-1',
		name: '辽宁智数信息技术有限公司',
		uscc: USCC_A,
		legalRep: { name: '张三', idNumber: ID_A },
		founded: '2012-03-01',
		taxes: [
			{ year: 2020, amount: 30.5, dishonest: false },
			{ year: 2021, amount: 33.1, dishonest: false },
			{ year: 2022, amount: 35.2, dishonest: false }
		],
		...o
	};
}

/** A clean training application (no finding under the batch-2 defaults). */
function app(o: Json = {}): Json {
	return {
		id: 'app-1',
		institutionId: 'inst-1',
		type: 'training',
		occupation: 'ai',
		levels: ['junior'],
		region: 'anshan',
		trainingYears: [{ year: 2022, total: 2000, independent: 1500, cooperative: 500 }],
		team: { total: 10, fullTime: 6, partTime: 4 },
		attachments: { registrationCertificate: true, creditReport: true, integrityCommitment: false },
		recommendation: { reason: '该单位在本地区具有较强影响力。', unit: '鞍山市人力资源和社会保障局', date: '2023-06-15' },
		...o
	};
}

/** A clean evaluation application (occupation iot is open for evaluation). */
function evalApp(o: Json = {}): Json {
	return app({
		type: 'evaluation',
		occupation: 'iot',
		team: { total: 30, assessors: 22, supervisors: 8 },
		trainingYears: [],
		evaluationYears: [{ year: 2022, certificate: '物联网安装调试员', own: true, issued: 3000 }],
		...o
	});
}

function expert(id: string, o: Json = {}): Json {
	return { id, name: `专家${id}`, workUnit: `某研究院${id}所`, occupations: ['ai'], phone: null, ...o };
}

/** Imports the bundle into a fresh database and runs one command; `json` is its parsed stdout. */
async function probe(bundle: Json, ...command: string[]) {
	const dir = tempDir();
	const db = path.join(dir, 'w.db');
	const imp = await cli(db, 'import', writeJson(dir, 'b.json', bundle));
	expect(imp.code, imp.stderr).toBe(0);
	const r = await cli(db, ...command);
	let json: any = undefined;
	try {
		json = JSON.parse(r.stdout);
	} catch {
		/* not JSON */
	}
	return { ...r, json, db, dir };
}

async function findings(bundle: Json): Promise<Record<string, { code: string; severity: string; detail: string }[]>> {
	const r = await probe(bundle, 'check', '--json');
	expect(r.code).toBe(0);
	return Object.fromEntries(r.json.applications.map((a: Json) => [a.id, a.findings]));
}

const codesOf = (list: { code: string }[]) => list.map((f) => f.code);

/* ---------- check --json ---------- */

describe('check --json: shape', () => {
	it('prints { applications: [{ id, findings: [{ code, severity, detail }] }] } and nothing for a clean application', async () => {
		const r = await probe({ institutions: [inst()], applications: [app(), app({ id: 'app-2', levels: [] })] }, 'check', '--json');
		expect(r.code).toBe(0);
		expect(Object.keys(r.json)).toEqual(['applications']);
		expect(r.json.applications[0]).toEqual({ id: 'app-1', findings: [] });
		expect(Object.keys(r.json.applications[1])).toEqual(['id', 'findings']);
		expect(Object.keys(r.json.applications[1].findings[0])).toEqual(['code', 'severity', 'detail']);
		expect(r.json.applications[1].findings[0]).toMatchObject({ code: 'NO_LEVEL', severity: 'blocking' });
	});
});

describe('check --json: every finding code at its edges', () => {
	it('USCC_INVALID (blocking): length, charset and the check character of GB 32100', async () => {
		const cases: [string, string | null, boolean][] = [
			['ok-a', USCC_A, false],
			['ok-b', USCC_B, false],
			['ok-0', USCC_CHECK_0, false],
			['ok-c', USCC_C, false],
			['bad-check', '91210100MA0Q8K3L7Y', true],
			['bad-check-0', '91210100MA0Q8K3L09', true],
			['len-17', '91210100MA0Q8K3L7', true],
			['len-19', `${USCC_A}0`, true],
			['letter-I', '91210100MA0Q8K3LIX', true],
			['letter-O', '91210100MO0Q8K3L7X', true],
			['letter-S', '91210100MA0S8K3L7X', true],
			['letter-V', '91210100MA0Q8V3L7X', true],
			['letter-Z', '91210100MA0Q8K3Z7X', true],
			// Typed in lower case, in full width or with spaces: stored normalized, then valid (issue 15, item 12).
			['lower-case', USCC_A.toLowerCase(), false],
			['full-width-spaced', ` ${USCC_A.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))} `, false],
			['missing', null, true]
		];
		const bundle = {
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: cases.map(([id, uscc]) => inst({ id: `i-${id}`, uscc })),
			applications: cases.map(([id]) => app({ id, institutionId: `i-${id}` }))
		};
		const out = await findings(bundle);
		for (const [id, , invalid] of cases) {
			expect(codesOf(out[id]), id).toEqual(invalid ? ['USCC_INVALID'] : []);
			if (invalid) expect(out[id][0].severity).toBe('blocking');
		}
	});

	it('LEGAL_REP_ID_INVALID (warning): length, birth date and check digit of GB 11643', async () => {
		const cases: [string, string, boolean][] = [
			['ok-a', ID_A, false],
			['ok-leap-X', ID_LEAP_X, false],
			['ok-c', ID_C, false],
			['bad-check', '210102198001011233', true],
			['bad-check-X', '21010220000229123' + '1', true],
			['no-feb-29-1900', '210102190002291233', true], // check digit right, 1900 is no leap year
			['feb-30', '21010219800230000X', true],
			['month-13', '210102198013011230', true],
			['born-2099', '210102209901011230', true],
			['len-15', '210102800101123', true],
			['len-17', '21010219800101123', true],
			['letter', '2101021980010112A2', true]
		];
		const bundle = {
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: cases.map(([id, idNumber]) => inst({ id: `i-${id}`, legalRep: { name: '张三', idNumber } })),
			applications: cases.map(([id]) => app({ id, institutionId: `i-${id}` }))
		};
		const out = await findings(bundle);
		for (const [id, , invalid] of cases) {
			expect(codesOf(out[id]), id).toEqual(invalid ? ['LEGAL_REP_ID_INVALID'] : []);
			if (invalid) {
				expect(out[id][0].severity).toBe('warning');
				// personal data: the detail never carries the full number
				expect(out[id][0].detail).not.toContain(cases.find((c) => c[0] === id)![1].slice(6, 14));
			}
		}
	});

	it('EVAL_OCCUPATION_CLOSED (blocking): evaluation of 智能制造, 大数据, 区块链 only; the batch can change the list', async () => {
		const closed = ['smart-manufacturing', 'bigdata', 'blockchain'];
		const open = ['ai', 'iot', 'cloud', 'industrial-internet', 'vr', 'ic', 'digital-management'];
		const bundle = {
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				...closed.map((o) => evalApp({ id: `ev-${o}`, occupation: o })),
				...open.map((o) => evalApp({ id: `ev-${o}`, occupation: o })),
				...closed.map((o) => app({ id: `tr-${o}`, occupation: o }))
			]
		};
		const out = await findings(bundle);
		for (const o of closed) {
			expect(codesOf(out[`ev-${o}`]), o).toEqual(['EVAL_OCCUPATION_CLOSED']);
			expect(out[`ev-${o}`][0].severity).toBe('blocking');
			expect(out[`tr-${o}`], o).toEqual([]);
		}
		for (const o of open) expect(out[`ev-${o}`], o).toEqual([]);

		const custom = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS, closedEvaluationOccupations: ['iot'] },
			institutions: [inst()],
			applications: [evalApp({ id: 'ev-iot' }), evalApp({ id: 'ev-bigdata', occupation: 'bigdata' })]
		});
		expect(codesOf(custom['ev-iot'])).toEqual(['EVAL_OCCUPATION_CLOSED']);
		expect(custom['ev-bigdata']).toEqual([]);
	});

	describe('QUOTA_EXCEEDED (blocking): at the limit none, over it every application of the cell', () => {
		// (region, type, limit) under the batch-2 defaults: 沈阳 and 大连 have the larger quotas;
		// 沈抚示范区 is a region of its own with the ordinary quota.
		const cells: [string, 'training' | 'evaluation', number][] = [
			['anshan', 'training', 2],
			['shenyang', 'training', 5],
			['dalian', 'training', 5],
			['shenfu', 'training', 2],
			['huludao', 'training', 2],
			['anshan', 'evaluation', 1],
			['shenyang', 'evaluation', 2],
			['dalian', 'evaluation', 2],
			['shenfu', 'evaluation', 1]
		];
		for (const [region, type, limit] of cells) {
			it(`${region} ${type}: ${limit} allowed, ${limit + 1} over`, async () => {
				const make = (n: number, prefix: string) =>
					Array.from({ length: n }, (_, i) => (type === 'training' ? app : evalApp)({ id: `${prefix}-${i + 1}`, region }));
				const atLimit = await findings({ institutions: [inst()], applications: make(limit, 'a') });
				for (const list of Object.values(atLimit)) expect(list).toEqual([]);
				const over = await findings({ institutions: [inst()], applications: make(limit + 1, 'o') });
				expect(Object.keys(over)).toHaveLength(limit + 1);
				for (const list of Object.values(over)) {
					expect(codesOf(list)).toEqual(['QUOTA_EXCEEDED']);
					expect(list[0].severity).toBe('blocking');
					expect(list[0].detail).toContain(String(limit + 1));
					expect(list[0].detail).toContain(String(limit));
				}
			});
		}

		it('the cell is (region, occupation, type): other occupations, types and regions do not count', async () => {
			const out = await findings({
				institutions: [inst()],
				applications: [
					app({ id: 'a1' }),
					app({ id: 'a2' }),
					app({ id: 'other-occupation', occupation: 'iot' }),
					app({ id: 'other-region', region: 'fushun' }),
					evalApp({ id: 'other-type', occupation: 'ai' })
				]
			});
			for (const [id, list] of Object.entries(out)) expect(list, id).toEqual([]);
		});

		it('the batch quotas replace the defaults', async () => {
			const out = await findings({
				batch: { id: 'b', quotas: { training: { default: 1, anshan: 3 }, evaluation: { default: 1 } } },
				institutions: [inst()],
				applications: [app({ id: 'a1' }), app({ id: 'a2' }), app({ id: 'a3' }), app({ id: 's1', region: 'shenyang' }), app({ id: 's2', region: 'shenyang' })]
			});
			for (const id of ['a1', 'a2', 'a3']) expect(out[id], id).toEqual([]);
			for (const id of ['s1', 's2']) expect(codesOf(out[id]), id).toEqual(['QUOTA_EXCEEDED']);
		});
	});

	it('DISHONEST_RECORD (blocking): any of the tax years marked dishonest', async () => {
		const years = (marks: (boolean | null)[]) => marks.map((dishonest, i) => ({ year: 2020 + i, amount: 1, dishonest }));
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [
				inst({ id: 'i-clean', taxes: years([false, false, false]) }),
				inst({ id: 'i-null', taxes: years([null, null, null]) }),
				inst({ id: 'i-first', taxes: years([true, false, false]) }),
				inst({ id: 'i-last', taxes: years([false, false, true]) })
			],
			applications: ['clean', 'null', 'first', 'last'].map((id) => app({ id, institutionId: `i-${id}` }))
		});
		expect(out.clean).toEqual([]);
		expect(out.null).toEqual([]);
		for (const id of ['first', 'last']) {
			expect(codesOf(out[id]), id).toEqual(['DISHONEST_RECORD']);
			expect(out[id][0].severity).toBe('blocking');
		}
	});

	it('FOUNDED_AFTER_CUTOFF (warning): the cutoff day itself is in time; the batch sets the cutoff', async () => {
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst({ id: 'i-on', founded: '2018-12-31' }), inst({ id: 'i-after', founded: '2019-01-01' })],
			applications: [app({ id: 'on', institutionId: 'i-on' }), app({ id: 'after', institutionId: 'i-after' })]
		});
		expect(out.on).toEqual([]);
		expect(codesOf(out.after)).toEqual(['FOUNDED_AFTER_CUTOFF']);
		expect(out.after[0].severity).toBe('warning');

		const moved = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS, foundedOnOrBefore: '2020-06-30' },
			institutions: [inst({ id: 'i-on', founded: '2020-06-30' }), inst({ id: 'i-after', founded: '2020-07-01' })],
			applications: [app({ id: 'on', institutionId: 'i-on' }), app({ id: 'after', institutionId: 'i-after' })]
		});
		expect(moved.on).toEqual([]);
		expect(codesOf(moved.after)).toEqual(['FOUNDED_AFTER_CUTOFF']);
	});

	it('SCALE_BELOW_MIN (blocking): the largest year decides; 2000 passes, 1999 does not; evaluation sums the certificate rows of a year', async () => {
		const tr = (rows: [number, number][]) => rows.map(([year, total]) => ({ year, total, independent: total, cooperative: 0 }));
		const ev = (rows: [number, number][]) => rows.map(([year, issued], i) => ({ year, certificate: `证书${i}`, own: i % 2 === 0, issued }));
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				app({ id: 'tr-2000', trainingYears: tr([[2022, 2000]]) }),
				app({ id: 'tr-1999', trainingYears: tr([[2022, 1999]]) }),
				app({ id: 'tr-best-year', trainingYears: tr([[2018, 2500], [2019, 100], [2022, 1999]]) }),
				app({ id: 'tr-none', trainingYears: [] }),
				// 1000 + 1000 in 2022 = 2000
				evalApp({ id: 'ev-sum-2000', evaluationYears: ev([[2022, 1000], [2022, 1000], [2021, 1999]]) }),
				// 1000 + 999 in 2022 = 1999, 1999 in 2021: no year reaches 2000
				evalApp({ id: 'ev-sum-1999', evaluationYears: ev([[2022, 1000], [2022, 999], [2021, 1999]]) }),
				// 1500 + 700 in one year (the fixture's case)
				evalApp({ id: 'ev-2200', evaluationYears: ev([[2022, 1500], [2022, 700]]) }),
				// training figures do not count for an evaluation application
				evalApp({ id: 'ev-training-rows', evaluationYears: ev([[2022, 100]]), trainingYears: tr([[2022, 5000]]) })
			]
		});
		for (const id of ['tr-2000', 'tr-best-year', 'ev-sum-2000', 'ev-2200']) expect(out[id], id).toEqual([]);
		for (const id of ['tr-1999', 'tr-none', 'ev-sum-1999', 'ev-training-rows']) {
			expect(codesOf(out[id]), id).toEqual(['SCALE_BELOW_MIN']);
			expect(out[id][0].severity).toBe('blocking');
		}

		const lowered = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS, minAnnualScale: 100 },
			institutions: [inst()],
			applications: [app({ id: 'tr-100', trainingYears: tr([[2022, 100]]) }), app({ id: 'tr-99', trainingYears: tr([[2022, 99]]) })]
		});
		expect(lowered['tr-100']).toEqual([]);
		expect(codesOf(lowered['tr-99'])).toEqual(['SCALE_BELOW_MIN']);
	});

	it('MISSING_ATTACHMENT (blocking): the registration certificate, and a credit report or an integrity commitment', async () => {
		const att = (registrationCertificate: boolean, creditReport: boolean, integrityCommitment: boolean) => ({
			registrationCertificate,
			creditReport,
			integrityCommitment
		});
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				app({ id: 'reg-credit', attachments: att(true, true, false) }),
				app({ id: 'reg-commitment', attachments: att(true, false, true) }),
				app({ id: 'reg-both', attachments: att(true, true, true) }),
				app({ id: 'no-reg', attachments: att(false, true, true) }),
				app({ id: 'reg-only', attachments: att(true, false, false) }),
				app({ id: 'none', attachments: null })
			]
		});
		for (const id of ['reg-credit', 'reg-commitment', 'reg-both']) expect(out[id], id).toEqual([]);
		for (const id of ['no-reg', 'reg-only', 'none']) {
			expect(codesOf(out[id]), id).toEqual(['MISSING_ATTACHMENT']);
			expect(out[id][0].severity).toBe('blocking');
		}
	});

	it('MISSING_RECOMMENDATION (blocking) and NO_LEVEL (blocking)', async () => {
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				app({ id: 'no-rec', recommendation: null }),
				app({ id: 'blank-reason', recommendation: { reason: ' \n ', unit: '鞍山市人力资源和社会保障局', date: '2023-06-10' } }),
				app({ id: 'no-level', levels: [] }),
				app({ id: 'three-levels', levels: ['junior', 'intermediate', 'senior'] })
			]
		});
		for (const id of ['no-rec', 'blank-reason']) {
			expect(codesOf(out[id]), id).toEqual(['MISSING_RECOMMENDATION']);
			expect(out[id][0].severity).toBe('blocking');
		}
		expect(codesOf(out['no-level'])).toEqual(['NO_LEVEL']);
		expect(out['no-level'][0].severity).toBe('blocking');
		expect(out['three-levels']).toEqual([]);
	});

	it('TEXT_TOO_LONG (warning): 800/300/500/500/800 characters, whitespace not counted, one finding per field naming it', async () => {
		const cjk = (n: number) => '字'.repeat(n);
		const atLimit = { overview: cjk(800), platform: cjk(300), pastWork: cjk(500), teamMechanism: cjk(500), plan: cjk(800) };
		const over = { overview: cjk(801), platform: cjk(301), pastWork: cjk(501), teamMechanism: cjk(501), plan: cjk(801) };
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				app({ id: 'at-limit', ...atLimit }),
				// whitespace of every kind (space, newline, tab, ideographic space) does not count
				app({ id: 'with-spaces', overview: `${cjk(400)} \n\t\u3000${cjk(400)}${' '.repeat(50)}\n` }),
				// punctuation counts
				app({ id: 'punctuation-300', platform: `${'，'.repeat(299)}。` }),
				app({ id: 'punctuation-301', platform: `${'，'.repeat(300)}。` }),
				// a character outside the BMP is one character
				app({ id: 'astral-300', platform: '𠀀'.repeat(300) }),
				app({ id: 'over', ...over }),
				evalApp({ id: 'eval-over', pastWork: cjk(501) })
			]
		});
		for (const id of ['at-limit', 'with-spaces', 'punctuation-300', 'astral-300']) expect(out[id], id).toEqual([]);
		expect(codesOf(out['punctuation-301'])).toEqual(['TEXT_TOO_LONG']);
		expect(out['punctuation-301'][0].severity).toBe('warning');
		expect(codesOf(out.over)).toEqual(Array(5).fill('TEXT_TOO_LONG'));
		const details = out.over.map((f) => f.detail);
		for (const [i, field] of ['overview', 'platform', 'pastWork', 'teamMechanism', 'plan'].entries()) expect(details[i]).toContain(field);
		expect(codesOf(out['eval-over'])).toEqual(['TEXT_TOO_LONG']);
		expect(out['eval-over'][0].detail).toContain('pastWork');
	});

	it('TOTALS_MISMATCH (warning): yearly totals, full-time + part-time, assessors + supervisors', async () => {
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [
				app({ id: 'year-off', trainingYears: [{ year: 2022, total: 2001, independent: 1500, cooperative: 500 }] }),
				app({ id: 'team-off', team: { total: 10, fullTime: 6, partTime: 5 } }),
				app({
					id: 'both-off',
					trainingYears: [
						{ year: 2021, total: 2100, independent: 2000, cooperative: 0 },
						{ year: 2022, total: 2000, independent: 1500, cooperative: 500 }
					],
					team: { total: 9, fullTime: 6, partTime: 4 }
				}),
				evalApp({ id: 'eval-team-off', team: { total: 30, assessors: 20, supervisors: 8 } }),
				evalApp({ id: 'eval-team-ok', team: { total: 30, fullTime: 0, partTime: 0, assessors: 22, supervisors: 8 } })
			]
		});
		expect(codesOf(out['year-off'])).toEqual(['TOTALS_MISMATCH']);
		expect(out['year-off'][0].severity).toBe('warning');
		expect(codesOf(out['team-off'])).toEqual(['TOTALS_MISMATCH']);
		expect(codesOf(out['both-off'])).toEqual(['TOTALS_MISMATCH', 'TOTALS_MISMATCH']);
		expect(codesOf(out['eval-team-off'])).toEqual(['TOTALS_MISMATCH']);
		expect(out['eval-team-ok']).toEqual([]);
	});

	it('LATE_SUBMISSION (warning): the deadline day is in time, the next day is late; the batch sets the deadline', async () => {
		const rec = (date: string) => ({ reason: '推荐', unit: '鞍山市人力资源和社会保障局', date });
		const out = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [app({ id: 'on-time', recommendation: rec('2023-06-15') }), app({ id: 'late', recommendation: rec('2023-06-16') })]
		});
		expect(out['on-time']).toEqual([]);
		expect(codesOf(out.late)).toEqual(['LATE_SUBMISSION']);
		expect(out.late[0].severity).toBe('warning');

		const moved = await findings({
			batch: { id: 'b', quotas: OPEN_QUOTAS, deadline: '2023-07-01' },
			institutions: [inst()],
			applications: [app({ id: 'on-time', recommendation: rec('2023-07-01') }), app({ id: 'late', recommendation: rec('2023-07-02') })]
		});
		expect(moved['on-time']).toEqual([]);
		expect(codesOf(moved.late)).toEqual(['LATE_SUBMISSION']);
	});

	it('several findings of one application come together, each with the severity of the table', async () => {
		const out = await findings({
			institutions: [inst({ uscc: '91210100MA0Q8K3L7Y', founded: '2019-01-01', legalRep: { name: '张三', idNumber: '210102198001011233' } })],
			applications: [
				evalApp({
					occupation: 'blockchain',
					levels: [],
					attachments: null,
					recommendation: { reason: '', unit: null, date: '2023-06-16' },
					evaluationYears: [{ year: 2022, certificate: 'x', own: true, issued: 1999 }],
					team: { total: 3, assessors: 1, supervisors: 1 }
				})
			]
		});
		const severity = Object.fromEntries(out['app-1'].map((f) => [f.code, f.severity]));
		expect(severity).toEqual({
			USCC_INVALID: 'blocking',
			LEGAL_REP_ID_INVALID: 'warning',
			EVAL_OCCUPATION_CLOSED: 'blocking',
			FOUNDED_AFTER_CUTOFF: 'warning',
			SCALE_BELOW_MIN: 'blocking',
			MISSING_ATTACHMENT: 'blocking',
			MISSING_RECOMMENDATION: 'blocking',
			NO_LEVEL: 'blocking',
			TOTALS_MISMATCH: 'warning',
			LATE_SUBMISSION: 'warning'
		});
	});
});

/* ---------- coi --json ---------- */

describe('coi --json: the conflicts table and its normalization', () => {
	async function conflicts(bundle: Json): Promise<string[]> {
		const r = await probe({ batch: { id: 'b', quotas: OPEN_QUOTAS }, ...bundle }, 'coi', '--json');
		expect(r.code).toBe(0);
		return r.json.conflicts.map((c: Json) => `${c.applicationId}/${c.expertId}/${c.code}/${c.hard}`);
	}

	it('prints { conflicts: [{ expertId, applicationId, code, hard }] }', async () => {
		const r = await probe(
			{ institutions: [inst()], applications: [app()], experts: [expert('e1')], declarations: [{ applicationId: 'app-1', expertId: 'e1', reason: '近三年曾在该单位任职' }] },
			'coi',
			'--json'
		);
		expect(r.json).toEqual({ conflicts: [{ expertId: 'e1', applicationId: 'app-1', code: 'DECLARED', hard: true }] });
		expect(Object.keys(r.json.conflicts[0])).toEqual(['expertId', 'applicationId', 'code', 'hard']);
	});

	it('SAME_UNIT (hard): equal after NFKC, whitespace, punctuation and bracket normalization; containment both ways', async () => {
		const units: [string, string, string][] = [
			// [application id, institution name, expert work unit]
			['equal', '辽宁智数信息技术有限公司', '辽宁智数信息技术有限公司'],
			['spaces-punct', '辽宁智数软件有限公司', ' 辽宁 智数·软件有限公司。 '],
			['brackets', '智数科技（辽宁）有限公司', '智数科技(辽宁)有限公司'],
			['full-width-latin', 'ABC智能科技有限公司', 'ＡＢＣ智能科技有限公司'],
			['full-width-digits', '辽宁123信息技术有限公司', '辽宁１２３信息技术有限公司'],
			['department', '东北大学', '东北大学计算机科学与工程学院'],
			['institution-in-unit', '大连理工大学继续教育学院', '大连理工大学']
		];
		const list = await conflicts({
			institutions: units.map(([id, name]) => inst({ id: `i-${id}`, name })),
			applications: units.map(([id]) => app({ id, institutionId: `i-${id}` })),
			experts: units.map(([id, , workUnit]) => expert(`e-${id}`, { workUnit }))
		});
		for (const [id] of units) expect(list, id).toContain(`${id}/e-${id}/SAME_UNIT/true`);
		// Pair only with its own application: nothing else matched.
		expect(list).toHaveLength(units.length);
	});

	it('SAME_UNIT near misses: a containment needs 4 characters on the shorter side; similar names are different units', async () => {
		const units: [string, string, string][] = [
			['three-chars', '沈阳市智能培训学校', '沈阳市'],
			['three-chars-with-punct', '沈阳市智能培训学校', '沈·阳·市'],
			['short-institution', '东软集', '东软集团股份有限公司'],
			['different-university', '沈阳大学', '沈阳工业大学'],
			['siblings', '大连理工大学出版社', '大连理工大学城市学院'],
			['different-company', '辽宁智数信息技术有限公司', '辽宁智能信息技术有限公司']
		];
		const list = await conflicts({
			institutions: units.map(([id, name]) => inst({ id: `i-${id}`, name })),
			applications: units.map(([id]) => app({ id, institutionId: `i-${id}` })),
			experts: units.map(([id, , workUnit]) => expert(`e-${id}`, { workUnit }))
		});
		expect(list).toEqual([]);
	});

	it('exactly four characters on the shorter side is enough', async () => {
		const list = await conflicts({
			institutions: [inst({ name: '东北大学继续教育学院' })],
			applications: [app()],
			experts: [expert('e4', { workUnit: '东北大学' }), expert('e4p', { workUnit: '（东北）大学' })]
		});
		expect(list).toEqual(['app-1/e4/SAME_UNIT/true', 'app-1/e4p/SAME_UNIT/true']);
	});

	it('LISTED_IN_APPLICATION (hard): name plus work unit or phone, teachers and question setters; name alone is not enough', async () => {
		const teacher = (name: string, workUnit: string | null, phone: string | null) => ({ role: 'teacher', name, workUnit, phone });
		const list = await conflicts({
			institutions: [inst()],
			applications: [
				app({ id: 'by-unit', people: [teacher('孙伟', '东北大学计算机学院', null)] }),
				app({ id: 'by-phone', people: [teacher('孙 伟', '辽宁大学', '139 0000 0003')] }),
				evalApp({ id: 'setter', occupation: 'ai', people: [{ role: 'question-setter', name: '孙伟', workUnit: '东北大学计算机学院', phone: null }] }),
				app({ id: 'name-only', people: [teacher('孙伟', '辽宁大学', '13900000009')] }),
				app({ id: 'unit-phone-other-name', people: [teacher('孙玮', '东北大学计算机学院', '13900000003')] })
			],
			experts: [expert('e1', { name: '孙伟', workUnit: '东北大学计算机学院', phone: '13900000003' })]
		});
		expect(list).toContain('by-unit/e1/LISTED_IN_APPLICATION/true');
		expect(list).toContain('by-phone/e1/LISTED_IN_APPLICATION/true');
		expect(list).toContain('setter/e1/LISTED_IN_APPLICATION/true');
		expect(list.filter((c) => c.startsWith('name-only/'))).toEqual([]);
		expect(list.filter((c) => c.includes('LISTED_IN_APPLICATION') && c.startsWith('unit-phone-other-name/'))).toEqual([]);
	});

	it('APPLICATION_CONTACT (hard): the lead or the contact by name and phone; a name or a phone alone is not enough', async () => {
		const list = await conflicts({
			institutions: [inst()],
			applications: [
				app({ id: 'lead', lead: { name: '李明', title: '总经理', phone: '138-0000-0001', email: null } }),
				app({ id: 'contact', contact: { name: '李明', title: null, phone: '13800000001', email: null } }),
				app({ id: 'name-only', lead: { name: '李明', title: null, phone: '13800000002', email: null } }),
				app({ id: 'phone-only', lead: { name: '李敏', title: null, phone: '13800000001', email: null } })
			],
			experts: [expert('e1', { name: '李明', phone: '13800000001' })]
		});
		expect(list).toEqual(['contact/e1/APPLICATION_CONTACT/true', 'lead/e1/APPLICATION_CONTACT/true']);
	});

	it('DECLARED (hard) and SHARED_UNIT_WITH_STAFF (soft)', async () => {
		const list = await conflicts({
			institutions: [inst()],
			applications: [
				app({ id: 'declared' }),
				app({ id: 'shared', people: [{ role: 'teacher', name: '孙伟', workUnit: '东北大学', phone: null }] }),
				app({ id: 'shared-setter', people: [{ role: 'question-setter', name: '钱七', workUnit: '  东北 大学 ', phone: null }] }),
				app({ id: 'not-shared', people: [{ role: 'teacher', name: '孙伟', workUnit: '东北财经大学', phone: null }] })
			],
			experts: [expert('e1', { name: '王五', workUnit: '东北大学' })],
			declarations: [{ applicationId: 'declared', expertId: 'e1', reason: '近三年曾在该单位任职' }]
		});
		expect(list).toEqual(['declared/e1/DECLARED/true', 'shared/e1/SHARED_UNIT_WITH_STAFF/false', 'shared-setter/e1/SHARED_UNIT_WITH_STAFF/false']);
	});
});

/* ---------- assign --json ---------- */

describe('assign --json: the draw', () => {
	it('prints { assignments: [{ applicationId, expertId }], unfilled: [{ applicationId, missing }] }, 5 per application by default', async () => {
		const r = await probe({ institutions: [inst()], applications: [app()], experts: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((e) => expert(e)) }, 'assign', '--seed', 's', '--json');
		expect(r.code).toBe(0);
		expect(Object.keys(r.json)).toEqual(['assignments', 'unfilled']);
		expect(r.json.assignments).toHaveLength(5);
		for (const a of r.json.assignments) expect(Object.keys(a)).toEqual(['applicationId', 'expertId']);
		expect(new Set(r.json.assignments.map((a: Json) => a.expertId)).size).toBe(5);
		expect(r.json.unfilled).toEqual([]);
	});

	it('never draws an expert with a hard conflict or of another occupation; reports what is missing', async () => {
		const r = await probe(
			{
				institutions: [inst()],
				applications: [app({ people: [{ role: 'teacher', name: '孙伟', workUnit: '东北大学', phone: null }] })],
				experts: [
					expert('ok-1'),
					expert('ok-2'),
					expert('same-unit', { workUnit: '辽宁智数信息技术有限公司培训中心' }),
					expert('listed', { name: '孙伟', workUnit: '东北大学' }),
					expert('contact', { name: '张三' }), // the legal representative
					expert('declared'),
					expert('other-occupation', { occupations: ['iot'] }),
					expert('soft', { workUnit: '东北大学' }) // SHARED_UNIT_WITH_STAFF only: may be drawn
				],
				declarations: [{ applicationId: 'app-1', expertId: 'declared', reason: '亲属在该单位任职' }]
			},
			'assign',
			'--per-application',
			'5',
			'--seed',
			'x',
			'--json'
		);
		expect(r.code).toBe(0);
		expect(r.json.assignments.map((a: Json) => a.expertId).sort()).toEqual(['ok-1', 'ok-2', 'soft']);
		expect(r.json.unfilled).toEqual([{ applicationId: 'app-1', missing: 2 }]);
	});

	it('balances the load: 4 applications × 3 over 6 experts gives every expert 2', async () => {
		const r = await probe(
			{
				batch: { id: 'b', quotas: OPEN_QUOTAS },
				institutions: [inst()],
				applications: ['a1', 'a2', 'a3', 'a4'].map((id) => app({ id })),
				experts: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((e) => expert(e))
			},
			'assign',
			'--per-application',
			'3',
			'--seed',
			'balance',
			'--json'
		);
		const load: Record<string, number> = {};
		const per: Record<string, Set<string>> = {};
		for (const a of r.json.assignments) {
			load[a.expertId] = (load[a.expertId] ?? 0) + 1;
			(per[a.applicationId] ??= new Set()).add(a.expertId);
		}
		expect(Object.values(load).sort()).toEqual([2, 2, 2, 2, 2, 2]);
		for (const id of ['a1', 'a2', 'a3', 'a4']) expect(per[id].size).toBe(3);
		expect(r.json.unfilled).toEqual([]);
	});

	it('counts existing assignments toward N, is reproducible by seed and adds nothing on a second run', async () => {
		const bundle = {
			batch: { id: 'b', quotas: OPEN_QUOTAS },
			institutions: [inst()],
			applications: [app({ id: 'a1' }), app({ id: 'a2' })],
			experts: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7'].map((e) => expert(e)),
			assignments: [{ applicationId: 'a1', expertId: 'e1' }]
		};
		const first = await probe(bundle, 'assign', '--per-application', '3', '--seed', 'same', '--json');
		const again = await probe(bundle, 'assign', '--per-application', '3', '--seed', 'same', '--json');
		expect(again.json).toEqual(first.json);
		const a1 = first.json.assignments.filter((a: Json) => a.applicationId === 'a1');
		expect(a1).toHaveLength(2);
		expect(a1.map((a: Json) => a.expertId)).not.toContain('e1');
		expect(first.json.assignments.filter((a: Json) => a.applicationId === 'a2')).toHaveLength(3);
		const second = await cli(first.db, 'assign', '--per-application', '3', '--seed', 'other', '--json');
		expect(JSON.parse(second.stdout)).toEqual({ assignments: [], unfilled: [] });
	});

	it('--occupation limits the draw; a database without a batch has nothing to draw', async () => {
		const r = await probe(
			{
				institutions: [inst()],
				applications: [app({ id: 'ai-1' }), app({ id: 'iot-1', occupation: 'iot' })],
				experts: [expert('a1'), expert('i1', { occupations: ['iot'] })]
			},
			'assign',
			'--per-application',
			'1',
			'--occupation',
			'iot',
			'--seed',
			's',
			'--json'
		);
		expect(r.json).toEqual({ assignments: [{ applicationId: 'iot-1', expertId: 'i1' }], unfilled: [] });

		const dir = tempDir();
		const empty = await cli(path.join(dir, 'empty.db'), 'assign', '--json');
		expect(empty.code).toBe(0);
		expect(JSON.parse(empty.stdout)).toEqual({ assignments: [], unfilled: [] });
	});
});

/* ---------- results --json ---------- */

const RUBRIC = {
	id: 'rub-t',
	type: 'training',
	criteria: [
		{ id: 'scale', name: '规模', maxPoints: 40, guidance: null },
		{ id: 'faculty', name: '师资', maxPoints: 60, guidance: null }
	]
};

/** Splits a total over the two criteria (both parts in 0.5 steps when the total is). */
const points = (total: number) => {
	const scale = Math.min(40, total);
	return { scale, faculty: total - scale };
};

/**
 * One training application per key, scored by experts e1, e2, … in order (all assigned, all
 * submitted; a null leaves that expert assigned without a sheet).
 */
function scored(totals: Record<string, (number | null)[]>, extra: Json = {}, aggregation: Json = {}): Json {
	const experts = new Set<string>();
	const assignments: Json[] = [];
	const scores: Json[] = [];
	for (const [id, list] of Object.entries(totals)) {
		list.forEach((t, i) => {
			const e = `e${i + 1}`;
			experts.add(e);
			assignments.push({ applicationId: id, expertId: e });
			if (t !== null) scores.push({ applicationId: id, expertId: e, rubricId: 'rub-t', status: 'submitted', points: points(t), comment: null, explanation: null });
		});
	}
	return {
		batch: { id: 'b', quotas: OPEN_QUOTAS, aggregation },
		institutions: [inst()],
		applications: Object.keys(totals).map((id) => app({ id })),
		experts: [...experts].map((e) => expert(e)),
		rubrics: [RUBRIC],
		assignments,
		scores,
		...extra
	};
}

async function results(bundle: Json, ...args: string[]) {
	const r = await probe(bundle, 'results', '--json', ...args);
	expect(r.code, r.stderr).toBe(0);
	return r.json;
}

const byId = (json: Json) => Object.fromEntries(json.groups.flatMap((g: Json) => g.applications.map((a: Json) => [a.id, a])));

describe('results --json: shape', () => {
	it('keys and order exactly as bundle.md shows them', async () => {
		const json = await results(scored({ p: [80, 80, 80] }));
		expect(Object.keys(json)).toEqual(['method', 'groups']);
		expect(Object.keys(json.groups[0])).toEqual(['occupation', 'type', 'applications']);
		expect(Object.keys(json.groups[0].applications[0])).toEqual(['id', 'score', 'n', 'rank', 'proposed', 'flags', 'excluded']);
		expect(json).toEqual({
			method: 'trimmed',
			groups: [{ occupation: 'ai', type: 'training', applications: [{ id: 'p', score: 80, n: 3, rank: 1, proposed: true, flags: [], excluded: [] }] }]
		});
	});

	it('groups are (occupation, type), sorted by occupation key then type', async () => {
		const b = scored({ p: [80, 80, 80] });
		b.applications.push(
			app({ id: 'cloud-t', occupation: 'cloud' }),
			evalApp({ id: 'iot-e' }),
			evalApp({ id: 'ai-e', occupation: 'ai' }),
			app({ id: 'dm-t', occupation: 'digital-management' })
		);
		const json = await results(b);
		expect(json.groups.map((g: Json) => `${g.occupation}/${g.type}`)).toEqual([
			'ai/evaluation',
			'ai/training',
			'cloud/training',
			'digital-management/training',
			'iot/evaluation'
		]);
	});
});

describe('results --json: methods', () => {
	it('trimmed: n ≥ 5 drops one highest and one lowest; n < 5 is the mean', async () => {
		const a = byId(
			await results(
				scored({
					five: [70, 80, 90, 60, 100], // (70 + 80 + 90) / 3 = 80
					dup: [80, 80, 80, 70, 70], // drop one 80 and one 70: (80 + 80 + 70) / 3 = 76.666…
					four: [61, 70, 80, 90], // 301 / 4 = 75.25
					seven: [50, 60, 70, 80, 90, 100, 100] // drop 50 and one 100: 400 / 5 = 80
				}, {}, { dispersionThreshold: 100, deviationPct: 100 })
			)
		);
		expect(a.five.score).toBeCloseTo(80, 10);
		expect(a.dup.score).toBeCloseTo(230 / 3, 10);
		expect(a.four.score).toBeCloseTo(75.25, 10);
		expect(a.seven.score).toBeCloseTo(80, 10);
		expect(a.five.n).toBe(5);
		expect(a.seven.n).toBe(7);
	});

	it('mean and median (odd and even n); --method overrides the batch and is echoed', async () => {
		const b = scored({ odd: [70, 80, 95.5], even: [60, 70, 80, 90.5] }, {}, { dispersionThreshold: 100, deviationPct: 100 });
		const mean = await results(b, '--method', 'mean');
		expect(mean.method).toBe('mean');
		expect(byId(mean).odd.score).toBeCloseTo(245.5 / 3, 10);
		expect(byId(mean).even.score).toBeCloseTo(300.5 / 4, 10);
		const median = await results(b, '--method', 'median');
		expect(median.method).toBe('median');
		expect(byId(median).odd.score).toBe(80);
		expect(byId(median).even.score).toBe(75);
		// the batch's own method when no --method is given
		const batchMedian = await results(scored({ odd: [70, 80, 95.5] }, {}, { method: 'median', dispersionThreshold: 100, deviationPct: 100 }));
		expect(batchMedian.method).toBe('median');
		expect(byId(batchMedian).odd.score).toBe(80);
	});

	it('zscore: every expert standardized within the group, averaged, mapped back to the group scale', async () => {
		// e1: p 80, q 70, r 60 (mean 70, σ √(200/3)); e2: 90, 90, 60 (mean 80, σ √200); e3: 70, 80, 90 (mean 80, σ √(200/3)).
		// mean z: p = q = √2/6 ≈ 0.2357, r = −√2/3. Group: M = 690/9, S = √(1200/9).
		// p = q = 230/3 + √(200/3)/3 ≈ 79.3883, r = 230/3 − √(800/3)/3 ≈ 71.2234; p and q tie at rank 1.
		const b = scored({ p: [80, 90, 70], q: [70, 90, 80], r: [60, 60, 90] }, {}, { dispersionThreshold: 100, deviationPct: 100 });
		const json = await results(b, '--method', 'zscore');
		expect(json.method).toBe('zscore');
		const a = byId(json);
		expect(a.p.score).toBeCloseTo(230 / 3 + Math.sqrt(200 / 3) / 3, 9);
		expect(a.q.score).toBeCloseTo(230 / 3 + Math.sqrt(200 / 3) / 3, 9);
		expect(a.r.score).toBeCloseTo(230 / 3 - Math.sqrt(800 / 3) / 3, 9);
		expect([a.p.rank, a.q.rank, a.r.rank]).toEqual([1, 1, 3]);
		expect(a.p.flags).toContain('TIE');
		expect(a.r.flags).not.toContain('TIE');
	});

	it('an unknown --method is an error (exit 1, one line)', async () => {
		const r = await probe(scored({ p: [80, 80, 80] }), 'results', '--method', 'average', '--json');
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
	});
});

describe('results --json: ranking and flags', () => {
	it('competition ranking (1, 2, 2, 4) with TIE; unranked last by id with INSUFFICIENT_REVIEWS and a null score', async () => {
		const json = await results(
			scored({
				r: [90, 90, 90],
				q: [70, 90, 80], // 80
				p: [80, 80, 80], // 80
				s: [60, 60, 60],
				u: [50, 50, null],
				t: [90, 90, null]
			})
		);
		const list = json.groups[0].applications;
		expect(list.map((a: Json) => [a.id, a.rank])).toEqual([
			['r', 1],
			['p', 2],
			['q', 2],
			['s', 4],
			['t', null],
			['u', null]
		]);
		const a = byId(json);
		expect(a.p.flags).toEqual(['TIE']);
		expect(a.q.flags).toEqual(['TIE']);
		expect(a.r.flags).toEqual([]);
		expect(a.t).toMatchObject({ score: null, n: 2, rank: null, proposed: false, flags: ['INSUFFICIENT_REVIEWS'] });
	});

	it('ranks on unrounded scores: 80.0625 and 80.0556 both show as 80.06 but are not tied', async () => {
		const eight = [80.5, 80, 80, 80, 80, 80, 80, 80]; // 640.5 / 8 = 80.0625
		const nine = [80.5, 80, 80, 80, 80, 80, 80, 80, 80]; // 720.5 / 9 = 80.0555…
		const json = await results(scored({ nine, eight }), '--method', 'mean');
		const a = byId(json);
		expect(a.eight.score).toBe(80.0625);
		expect(a.nine.score).toBeCloseTo(720.5 / 9, 10);
		expect([a.eight.rank, a.nine.rank]).toEqual([1, 2]);
		expect(a.eight.flags).toEqual([]);
		expect(a.nine.flags).toEqual([]);
		expect(json.groups[0].applications.map((x: Json) => x.id)).toEqual(['eight', 'nine']);
	});

	it('minReviews from the batch: n below it gets no rank', async () => {
		const a = byId(await results(scored({ two: [80, 80], one: [90] }, {}, { minReviews: 2 })));
		expect(a.two).toMatchObject({ score: 80, n: 2, rank: 1, flags: [] });
		expect(a.one).toMatchObject({ score: null, n: 1, rank: null, flags: ['INSUFFICIENT_REVIEWS'] });
	});

	it('HIGH_DISPERSION: max − min above 20, not at 20; the threshold is a batch setting', async () => {
		const a = byId(await results(scored({ at: [70, 80, 90], over: [69.5, 80, 90] }, {}, { deviationPct: 100 })));
		expect(a.at.flags).toEqual([]);
		expect(a.over.flags).toEqual(['HIGH_DISPERSION']);
		const b = byId(await results(scored({ at: [75, 80, 85], over: [75, 80, 85.5] }, {}, { dispersionThreshold: 10, deviationPct: 100 })));
		expect(b.at.flags).toEqual([]);
		expect(b.over.flags).toEqual(['HIGH_DISPERSION']);
	});

	it('ABNORMAL_SCORE: a total more than 20% of the mean away from it, not exactly 20%; deviationPct is a batch setting', async () => {
		// at: mean 80, 64 and 96 are exactly 16 = 20% away. over: mean 80, 63.5 and 96.5 are 16.5 away.
		const a = byId(await results(scored({ at: [64, 80, 96], over: [63.5, 80, 96.5] }, {}, { dispersionThreshold: 100 })));
		expect(a.at.flags).not.toContain('ABNORMAL_SCORE');
		expect(a.over.flags).toContain('ABNORMAL_SCORE');
		// deviationPct 5: mean 80, limit 4; 84 is at it, 84.5 over.
		const b = byId(await results(scored({ at: [76, 80, 84], over: [75.5, 80, 84.5] }, {}, { dispersionThreshold: 100, deviationPct: 5 })));
		expect(b.at.flags).not.toContain('ABNORMAL_SCORE');
		expect(b.over.flags).toContain('ABNORMAL_SCORE');
	});
});

describe('results --json: valid sheets and excluded ones', () => {
	it('only submitted sheets of assigned experts without a hard conflict count; the others are listed with the reason', async () => {
		const b = scored({ p: [80, 80, 80] });
		b.experts.push(
			expert('same-unit', { workUnit: '辽宁智数信息技术有限公司' }),
			expert('declared'),
			expert('stranger'),
			expert('drafter'),
			expert('soft', { workUnit: '东北大学' })
		);
		b.applications[0].people = [{ role: 'teacher', name: '孙伟', workUnit: '东北大学', phone: null }];
		b.assignments.push(
			{ applicationId: 'p', expertId: 'same-unit' },
			{ applicationId: 'p', expertId: 'declared' },
			{ applicationId: 'p', expertId: 'drafter' },
			{ applicationId: 'p', expertId: 'soft' }
		);
		b.declarations = [{ applicationId: 'p', expertId: 'declared', reason: '亲属' }];
		const sheet = (expertId: string, total: number, status = 'submitted') => ({ applicationId: 'p', expertId, rubricId: 'rub-t', status, points: points(total) });
		b.scores.push(sheet('same-unit', 100), sheet('declared', 100), sheet('stranger', 100), sheet('drafter', 10, 'draft'), sheet('soft', 80));
		const a = byId(await results(b)).p;
		// valid: e1, e2, e3 and the soft-conflict expert (80 each)
		expect(a.n).toBe(4);
		expect(a.score).toBe(80);
		expect(a.flags).toEqual([]);
		expect(a.excluded).toEqual(
			expect.arrayContaining([
				{ expertId: 'same-unit', why: 'SAME_UNIT' },
				{ expertId: 'declared', why: 'DECLARED' },
				{ expertId: 'stranger', why: 'NOT_ASSIGNED' }
			])
		);
		expect(a.excluded).toHaveLength(3);
		for (const e of a.excluded) expect(Object.keys(e)).toEqual(['expertId', 'why']);
	});

	it('excluded sheets can leave an application short of minReviews', async () => {
		const b = scored({ p: [80, 80, 80] });
		b.declarations = [{ applicationId: 'p', expertId: 'e3', reason: '曾在该单位兼职' }];
		const a = byId(await results(b)).p;
		expect(a).toMatchObject({ score: null, n: 2, rank: null, proposed: false, flags: ['INSUFFICIENT_REVIEWS'], excluded: [{ expertId: 'e3', why: 'DECLARED' }] });
	});
});

describe('results --json: proposed', () => {
	it('default rule: no blocking finding, ranked, score ≥ passScore (60, inclusive)', async () => {
		const b = scored({ pass: [60, 60, 60], below: [59.5, 60, 60], blocked: [90, 90, 90], warned: [90, 90, 90], unranked: [90, 90, null] });
		b.applications.find((x: Json) => x.id === 'blocked').levels = []; // NO_LEVEL, blocking
		b.applications.find((x: Json) => x.id === 'warned').recommendation.date = '2023-06-20'; // LATE_SUBMISSION, a warning
		const a = byId(await results(b));
		expect(a.pass.proposed).toBe(true);
		expect(a.below.score).toBeCloseTo(179.5 / 3, 10);
		expect(a.below.proposed).toBe(false);
		expect(a.blocked.rank).toBe(1);
		expect(a.blocked.proposed).toBe(false);
		expect(a.warned.proposed).toBe(true);
		expect(a.unranked.proposed).toBe(false);
	});

	it('passScore and maxPerGroup are batch settings; tied ranks within maxPerGroup are all proposed', async () => {
		const a = byId(
			await results(scored({ first: [90, 90, 90], tieA: [80, 80, 80], tieB: [80, 80, 80], fourth: [70, 70, 70], low: [55, 55, 55] }, {}, { passScore: 50, maxPerGroup: 3 }))
		);
		expect([a.first, a.tieA, a.tieB, a.fourth, a.low].map((x: Json) => [x.rank, x.proposed])).toEqual([
			[1, true],
			[2, true],
			[2, true],
			[4, false],
			[5, false]
		]);
		const b = byId(await results(scored({ p: [65, 65, 65] }, {}, { passScore: 70 })));
		expect(b.p.proposed).toBe(false);
	});

	it('a recorded decision wins over the default: only "proposed" is true', async () => {
		const b = scored({ dp: [50, 50, 50], dn: [90, 90, 90], ds: [90, 90, 90], dpend: [90, 90, 90], none: [90, 90, 90], unranked: [90, null, null] });
		b.decisions = [
			{ applicationId: 'dp', decision: 'proposed', reason: '会议认定' },
			{ applicationId: 'dn', decision: 'not-proposed', reason: '会议认定' },
			{ applicationId: 'ds', decision: 'site-visit', reason: '需考察' },
			{ applicationId: 'dpend', decision: 'pending', reason: '待定' },
			{ applicationId: 'unranked', decision: 'proposed', reason: '会议认定' }
		];
		const a = byId(await results(b));
		expect(a.dp.proposed).toBe(true);
		expect(a.dn.proposed).toBe(false);
		expect(a.ds.proposed).toBe(false);
		expect(a.dpend.proposed).toBe(false);
		expect(a.none.proposed).toBe(true);
		expect(a.unranked.proposed).toBe(true);
	});
});

/* ---------- Exit codes and error behaviour ---------- */

describe('exit codes and errors', () => {
	it('a bad bundle: exit 1, one line naming the file and the JSON path, nothing changed', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		expect((await cli(db, 'import', writeJson(dir, 'good.json', { institutions: [inst()], applications: [app()] }))).code).toBe(0);
		const before = (await cli(db, 'check', '--json')).stdout;
		const bad: [string, Json | string, string][] = [
			['unknown-key', { institutions: [inst()], applications: [app({ colour: 'red' })] }, 'applications[0].colour'],
			['bad-date', { institutions: [inst({ id: 'inst-2', founded: '2018-02-30' })] }, 'institutions[0].founded'],
			['bad-occupation', { institutions: [inst()], applications: [app({ id: 'app-2', occupation: 'robotics' })] }, 'applications[0].occupation'],
			// the first application is valid: it must not be written either
			['second-bad', { institutions: [inst()], applications: [app({ id: 'app-3' }), app({ id: 'app-4', region: 'beijing' })] }, 'applications[1].region'],
			['not-json', '{"applications": [', 'not-json.json']
		];
		for (const [name, content, pathText] of bad) {
			const file = writeJson(dir, `${name}.json`, content);
			const r = await cli(db, 'import', file);
			expect(r.code, name).toBe(1);
			expect(r.stdout, name).toBe('');
			expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
			expect(r.stderr, name).toContain(file);
			expect(r.stderr, name).toContain(pathText);
		}
		expect((await cli(db, 'check', '--json')).stdout).toBe(before);
	});

	it('a missing file, an unknown command and an unknown option exit 1 with one line', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		for (const args of [['import', path.join(dir, 'nope.json')], ['frobnicate'], ['check', '--jsn'], ['assign', '--per-application', 'five']]) {
			const r = await cli(db, ...args);
			expect(r.code, args.join(' ')).toBe(1);
			expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
		}
		// "changes nothing when it fails": not even by leaving a new, empty database behind.
		expect(fs.existsSync(db)).toBe(false);
	});

	it('import is an upsert by id: a re-import adds nothing twice', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		const file = writeJson(dir, 'b.json', scored({ p: [80, 80, 80] }));
		const first = await cli(db, 'import', file, '--json');
		expect(first.code).toBe(0);
		expect(JSON.parse(first.stdout).imported.applications).toBe(1);
		const once = (await cli(db, 'results', '--json')).stdout;
		expect((await cli(db, 'import', file)).code).toBe(0);
		expect((await cli(db, 'results', '--json')).stdout).toBe(once);
		expect(JSON.parse((await cli(db, 'check', '--json')).stdout).applications).toHaveLength(1);
	});
});
