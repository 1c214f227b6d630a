import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../context';
import { CliError, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { BundleImportError, importBundle, parseBundleText } from '../../lib/server/services/bundle-import';
import { importers } from '../importers';

export const importCommand: Command = {
	name: 'import',
	summary: '导入评审数据包（.json）、Excel 模板（.xlsx）或填好的附件1/2（.docx、.doc）',
	usage: 'import FILE [--json]',
	scoped: true,
	async run(argv, { db, io, batchId }) {
		const args = parseArgs(argv, { flags: ['json'], positional: 1 });
		const file = args.positional[0];
		if (!file || args.positional.length > 1) throw new CliError('用法：import FILE [--json]');
		if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`${file}: 文件不存在`);
		const ext = path.extname(file).toLowerCase();
		let imported: Record<string, number>;
		try {
			if (ext === '.json') {
				imported = importBundle(db, parseBundleText(fs.readFileSync(file, 'utf8')), CLI_ACTOR, { batchId });
			} else if (importers[ext]) {
				imported = await importers[ext](db, fs.readFileSync(file), file, batchId);
			} else {
				throw new CliError(`${file}: 不支持的文件类型 "${ext || '(无扩展名)'}"（支持 ${['.json', ...Object.keys(importers)].join('、')}）`);
			}
		} catch (e) {
			if (e instanceof BundleImportError) throw new CliError(`${file}: ${e.firstLine}`);
			throw e;
		}
		if (args.options.has('json')) printJson(io, { imported });
		else io.err(`已导入 ${file}：${Object.entries(imported).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join('，') || '无内容'}`);
		return 0;
	}
};
