import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionLabel, actorName, auditReferences, auditSentence, hasAuditSentence } from './audit-text';

/** Every `audit(tx, actor, '<action>' …)` in the source: the third argument's string literals (both arms of a ternary). */
function actionsInSource(dir: string): Map<string, string> {
	const found = new Map<string, string>();
	const walk = (d: string) => {
		for (const name of readdirSync(d)) {
			const p = join(d, name);
			if (statSync(p).isDirectory()) walk(p);
			else if (/\.(ts|svelte)$/.test(name) && !/\.spec\.ts$/.test(name)) scan(p, readFileSync(p, 'utf8'));
		}
	};
	const scan = (file: string, text: string) => {
		const call = /(?<![\w.$])audit\(/g;
		for (let m = call.exec(text); m; m = call.exec(text)) {
			const args: string[] = [];
			let depth = 0;
			let quote: string | null = null;
			let cur = '';
			for (let i = m.index + m[0].length; i < text.length; i++) {
				const ch = text[i];
				if (quote) {
					cur += ch;
					if (ch === '\\') cur += text[++i];
					else if (ch === quote) quote = null;
					continue;
				}
				if (ch === "'" || ch === '"' || ch === '`') quote = ch;
				if ('([{'.includes(ch)) depth++;
				if (')]}'.includes(ch)) {
					if (depth === 0) break;
					depth--;
				}
				if (ch === ',' && depth === 0) {
					args.push(cur);
					cur = '';
				} else cur += ch;
			}
			args.push(cur);
			for (const lit of (args[2] ?? '').matchAll(/'([a-z][\w-]*\.[\w.-]+)'/g)) found.set(lit[1], file);
		}
	};
	walk(dir);
	return found;
}

describe('auditSentence', () => {
	const written = actionsInSource(join(__dirname, '..', '..'));

	it('finds the actions the code writes (the scan itself works)', () => {
		expect(written.size).toBeGreaterThan(50);
		for (const a of ['user.login', 'access.denied', 'conflict.confirm', 'conflict.dismiss', 'user.deactivate', 'sheet.offline-download'])
			expect(written.has(a), a).toBe(true);
	});

	it('has a sentence of its own and a Chinese label for every action the code writes', () => {
		const missing = [...written].filter(([a]) => !hasAuditSentence(a) || actionLabel(a) === a).map(([a, f]) => `${a} (${f})`);
		expect(missing).toEqual([]);
		for (const [a] of written) {
			const s = auditSentence({ actor: 'liu', userId: 'u1', action: a, entity: 'application', entityId: 'app-1', detail: '{}' }, { users: { u1: '刘超群' } });
			expect(s, a).not.toContain('执行操作');
			expect(s, a).toMatch(/[\u4e00-\u9fff]/);
			expect(s, a).not.toMatch(/undefined|\[object/);
		}
	});

	it('reads a login with the display name and the address', () => {
		expect(auditSentence({ actor: 'liuchaoqun', userId: 'u1', action: 'user.login', entity: 'user', entityId: 'u1', detail: '{"address":"127.0.0.1"}' }, { users: { u1: '刘超群' } })).toBe(
			'刘超群 登录（地址 127.0.0.1）'
		);
	});

	it('names the institution of an application and quotes the reason', () => {
		const s = auditSentence(
			{ actor: 'office', userId: 'u2', action: 'application.return', entity: 'application', entityId: 'app-12', detail: JSON.stringify({ from: 'submitted', reason: '缺少信用报告', submittedSheets: 0 }) },
			{ users: { u2: '省厅' }, applications: { 'app-12': '沈阳某某公司' } }
		);
		expect(s).toBe('省厅 退回申报 app-12「沈阳某某公司」：理由“缺少信用报告”');
	});

	it('names the expert of a sheet and labels codes in Chinese', () => {
		const names = { users: { u3: '王专家' }, experts: { 'exp-03': '王某' }, applications: { 'app-1': '大连某校' } };
		expect(auditSentence({ actor: 'exp03', userId: 'u3', action: 'sheet.submit', entity: 'sheet', entityId: '7', detail: JSON.stringify({ applicationId: 'app-1', expertId: 'exp-03', total: 82 }) }, names)).toBe(
			'王专家 提交专家 王某 对申报 app-1「大连某校」的评分表（总分 82）'
		);
		const c = auditSentence({ actor: 'office', userId: null, action: 'conflict.confirm', entity: 'application', entityId: 'app-1', detail: JSON.stringify({ expertId: 'exp-03', code: 'SHARED_UNIT_WITH_STAFF', reason: '同单位' }) }, names);
		expect(c).not.toContain('SHARED_UNIT_WITH_STAFF');
		expect(c).toContain('专家 王某');
		const f = auditSentence({ actor: 'office', action: 'finding.override', entity: 'application', entityId: 'app-1', detail: JSON.stringify({ code: 'QUOTA_EXCEEDED', reason: 'x' }) }, names);
		expect(f).not.toContain('QUOTA_EXCEEDED');
		expect(auditSentence({ actor: 'o', action: 'decision.record', entity: 'application', entityId: 'app-1', detail: JSON.stringify({ decision: 'site-visit' }) })).toContain('需实地考察');
	});

	it('reads a refused request and a failed login without codes', () => {
		const d = auditSentence({ actor: 'zhang', userId: 'u4', action: 'access.denied', entity: 'route', entityId: null, detail: JSON.stringify({ role: 'city', method: 'GET', path: '/office', status: 403, reason: '需要角色 office' }) });
		expect(d).toContain('请求被拒绝');
		expect(d).toContain('推荐单位');
		const f = auditSentence({ actor: 'zhang', action: 'user.login-failed', entity: 'user', entityId: null, detail: JSON.stringify({ username: 'zhang', address: '10.0.0.1', reason: 'password', failures: 2 }) });
		expect(f).toBe('以账号 zhang 登录失败（密码错误，第 2 次，地址 10.0.0.1）');
	});

	it('falls back to a generic sentence for an unknown action or a broken detail', () => {
		expect(auditSentence({ actor: 'system', userId: null, action: 'future.thing', entity: 'batch', entityId: 'b1', detail: null })).toBe('系统 执行操作“future.thing”，对象：batch b1');
		expect(auditSentence({ actor: 'cli', userId: null, action: 'keys.rotate', entity: null, entityId: null, detail: 'not json' })).toMatch(/^命令行 轮换密钥/);
	});

	it('resolves the actor and lists the ids to look up', () => {
		expect(actorName({ actor: 'liu', userId: 'u1' }, { users: { u1: '刘超群' } })).toBe('刘超群');
		expect(actorName({ actor: 'liu', userId: 'u9' })).toBe('liu');
		const refs = auditReferences([
			{ actor: 'a', userId: 'u1', action: 'sheet.submit', entity: 'sheet', entityId: '3', detail: JSON.stringify({ applicationId: 'app-1', expertId: 'e1' }) },
			{ actor: 'a', userId: null, action: 'assignment.replace', entity: 'application', entityId: 'app-2', detail: JSON.stringify({ from: 'e2', to: 'e3' }) }
		]);
		expect(refs.users).toEqual(['u1']);
		expect(refs.applications.sort()).toEqual(['app-1', 'app-2']);
		expect(refs.experts.sort()).toEqual(['e1', 'e2', 'e3']);
	});

	it('reads the attendance and the fee standard with the experts’ names', () => {
		const detail = JSON.stringify({ changes: [{ date: '2023-07-11', expertId: 'e1', from: null, to: 'left-early' }, { date: '2023-07-11', expertId: 'e2', from: 'present', to: null }] });
		const entry = { actor: 'office', userId: 'u1', action: 'meeting.attendance', entity: 'batch', entityId: 'b1', detail };
		expect(auditReferences([entry]).experts.sort()).toEqual(['e1', 'e2']);
		expect(auditSentence(entry, { users: { u1: '刘超群' }, experts: { e1: '甲一', e2: '甲二' } })).toBe('刘超群 登记会议出席：专家 甲一 2023-07-11 早退；专家 甲二 2023-07-11 未出席');
		expect(
			auditSentence({ actor: 'office', userId: null, action: 'fees.standard', entity: 'batch', entityId: 'b1', detail: JSON.stringify({ from: null, to: { senior: 1800, other: 1000 } }) })
		).toBe('office 设定劳务费标准：高级职称 1800 元/人天，其他 1000 元/人天');
	});
});
