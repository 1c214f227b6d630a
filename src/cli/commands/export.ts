import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { exportBundle } from '../../lib/server/queries/bundle';

export const exportCommand: Command = {
	name: 'export',
	summary: '把整个数据库导出为评审数据包（JSON）',
	usage: 'export --out FILE',
	run(argv, { db, io }) {
		const args = parseArgs(argv, { values: ['out'] });
		const out = optionString(args, 'out');
		if (!out || args.positional.length) throw new CliError('用法：export --out FILE');
		const dir = path.dirname(path.resolve(out));
		if (!fs.existsSync(dir)) throw new CliError(`${out}: 目录 ${dir} 不存在`);
		const text = JSON.stringify(exportBundle(db), null, 2) + '\n';
		const tmp = `${out}.tmp-${process.pid}`;
		fs.writeFileSync(tmp, text);
		fs.renameSync(tmp, out);
		io.err(`已导出到 ${out}`);
		return 0;
	}
};
