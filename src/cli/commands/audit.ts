import type { Command } from '../context';
import { CliError, parseArgs } from '../args';
import { printJson } from '../io';
import { verifyAudit } from '../../lib/server/audit';

export const auditCommand: Command = {
	name: 'audit',
	summary: '审计日志：verify 用密钥校验签名链与日志头',
	usage: 'audit verify [--json]',
	run(argv, { db, io }) {
		const [sub, ...rest] = argv;
		if (sub !== 'verify') throw new CliError('用法：audit verify [--json]');
		const a = parseArgs(rest, { flags: ['json'] });
		const res = verifyAudit(db);
		if (a.options.has('json')) printJson(io, { ok: res.problems.length === 0, ...res });
		else if (res.problems.length === 0) {
			io.out(`审计日志完好：共 ${res.entries} 条记录，签名链连续，日志头${res.head ? `（第 ${res.head.lastId} 条）` : ''}与密钥相符`);
		} else for (const p of res.problems) io.out(`第 ${p.id} 条：${p.problem}`);
		if (res.first) {
			io.err(`审计日志被改动：首个问题在第 ${res.first.id} 条（${res.first.problem}），共 ${res.problems.length} 处问题`);
			return 1;
		}
		return 0;
	}
};
