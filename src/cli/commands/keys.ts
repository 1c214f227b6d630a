import type { Command } from '../context';
import { CliError, parseArgs } from '../args';
import { printJson } from '../io';
import { KeyError, keyFileFor } from '../../lib/server/keys';
import { rotateKeys } from '../../lib/server/key-rotation';
import { keyNotice } from '../../lib/server/backup';

export const keysCommand: Command = {
	name: 'keys',
	summary: '密钥：where 显示密钥文件位置；rotate 轮换审计与个人信息密钥（须先停止服务器）',
	usage: 'keys where | keys rotate [--json]',
	run(argv, { db, dbPath, io }) {
		const [sub, ...rest] = argv;
		const a = parseArgs(rest, { flags: ['json'] });
		if (sub === 'where') {
			const file = keyFileFor(dbPath);
			if (a.options.has('json')) printJson(io, { keyFile: file });
			else io.out(file ?? '（内存数据库：本进程的临时密钥）');
			io.err(keyNotice(file));
			return 0;
		}
		if (sub !== 'rotate') throw new CliError('用法：keys where | keys rotate [--json]');
		// The command line opened the database; let go of it (the rotation needs it to itself).
		db.$client.close();
		try {
			const r = rotateKeys(dbPath);
			if (a.options.has('json')) printJson(io, { rotated: r });
			io.err(`已轮换密钥：${r.keyFile}；重新加密个人信息 ${r.reencrypted} 项；第 1–${r.retiredUpTo} 条审计记录仍由旧审计密钥（保留在密钥文件中）校验`);
			io.err(`  ${keyNotice(r.keyFile)}`);
			return 0;
		} catch (e) {
			if (e instanceof KeyError) throw new CliError(e.message);
			throw e;
		}
	}
};
