import fs from 'node:fs';
import path from 'node:path';
import { cliScope, type Command } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { buildMemoData } from '../../lib/server/export/memo-data';
import { renderMemo } from '../../lib/server/export/docx';

/**
 * The `--out FILE.ext` of an export command: present, with the extension, in a directory that
 * exists. Throws a one-line CliError otherwise.
 */
export function outputPath(argv: string[], command: string, ext: '.docx' | '.xlsx'): string {
	const args = parseArgs(argv, { values: ['out'] });
	const out = optionString(args, 'out');
	if (!out || args.positional.length) throw new CliError(`用法：${command} --out FILE${ext}`);
	if (path.extname(out).toLowerCase() !== ext) throw new CliError(`${out}: 输出文件的扩展名应为 ${ext}`);
	const dir = path.dirname(path.resolve(out));
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${out}: 目录 ${dir} 不存在`);
	return out;
}

/** Writes through a temporary file in the same directory and renames it: no half-written file. */
export function writeAtomically(out: string, data: Buffer): void {
	const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.tmp-${process.pid}`);
	try {
		fs.writeFileSync(tmp, data);
		fs.renameSync(tmp, out);
	} catch (e) {
		fs.rmSync(tmp, { force: true });
		throw e;
	}
}

export const memoCommand: Command = {
	name: 'memo',
	summary: '生成评审结果报告（Word 文档，.docx）',
	usage: 'memo --out FILE.docx',
	scoped: true,
	async run(argv, ctx) {
		const { io } = ctx;
		const out = outputPath(argv, 'memo', '.docx');
		const data = buildMemoData(cliScope(ctx));
		writeAtomically(out, await renderMemo(data));
		io.err(`已生成评审结果报告 ${out}${data.lock.locked ? '' : '（结果尚未锁定，仅供审阅）'}`);
		return 0;
	}
};
