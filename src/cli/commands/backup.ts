import type { Command } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson, type Io } from '../io';
import { BackupError, backupDatabase, keyNotice, restoreDatabase, type DatabaseSummary } from '../../lib/server/backup';

function describe(io: Io, s: DatabaseSummary) {
	const c = s.counts;
	io.err(
		`  数据结构版本 ${s.schemaVersion}，${(s.bytes / 1024 / 1024).toFixed(1)} MB；申报 ${c.applications} 份，专家 ${c.experts} 人，账号 ${c.users} 个，评分表 ${c.sheets} 份，审计记录 ${c.auditEntries} 条` +
			(s.auditIntact
				? `\n  审计日志已用密钥校验：完好`
				: `\n  警告：审计日志校验未通过，第 ${s.auditProblem?.id} 条：${s.auditProblem?.problem}`)
	);
	io.err(`  ${keyNotice(s.keyFile)}`);
}

export const backupCommand: Command = {
	name: 'backup',
	summary: '在线备份数据库（服务器运行时也可用，得到一致的副本）',
	usage: 'backup --out FILE [--force] [--json]',
	async run(argv, { db, io }) {
		const a = parseArgs(argv, { values: ['out'], flags: ['force', 'json'] });
		const out = optionString(a, 'out');
		if (!out || a.positional.length) throw new CliError('用法：backup --out FILE [--force] [--json]');
		try {
			const summary = await backupDatabase(db, out, { overwrite: a.options.has('force') });
			if (a.options.has('json')) printJson(io, { backup: summary });
			io.err(`已备份到 ${out}`);
			describe(io, summary);
			return 0;
		} catch (e) {
			if (e instanceof BackupError) throw new CliError(e.message);
			throw e;
		}
	}
};

export const restoreCommand: Command = {
	name: 'restore',
	summary: '用备份文件替换数据库（须先停止服务器；原文件保留为 .before-restore-时间）',
	usage: 'restore FILE [--json]',
	async run(argv, { db, dbPath, io }) {
		const a = parseArgs(argv, { flags: ['json'], positional: 1 });
		const [file, ...extra] = a.positional;
		if (!file || extra.length) throw new CliError('用法：restore FILE [--json]');
		// The command line opened (and migrated) the target; let go of it before replacing it.
		db.$client.close();
		try {
			const res = await restoreDatabase(dbPath, file);
			if (a.options.has('json')) printJson(io, res);
			io.err(`已从 ${file} 恢复到 ${dbPath}`);
			describe(io, res.restored);
			if (res.replacedKeptAs) io.err(`  原数据库已保留为 ${res.replacedKeptAs}`);
			return 0;
		} catch (e) {
			if (e instanceof BackupError) throw new CliError(e.message);
			throw e;
		}
	}
};
