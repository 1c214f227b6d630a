import { cliScope, type Command } from '../context';
import { buildWorkbookData } from '../../lib/server/export/memo-data';
import { renderResultsWorkbook } from '../../lib/server/export/xlsx';
import { outputPath, writeAtomically } from './memo';

export const exportXlsxCommand: Command = {
	name: 'export-xlsx',
	summary: '导出评分汇总工作簿（Excel，.xlsx）：评分汇总、拟推荐名单、专家工作量、审计日志',
	usage: 'export-xlsx --out FILE.xlsx',
	scoped: true,
	async run(argv, ctx) {
		const { io } = ctx;
		const out = outputPath(argv, 'export-xlsx', '.xlsx');
		writeAtomically(out, await renderResultsWorkbook(buildWorkbookData(cliScope(ctx))));
		io.err(`已导出评分汇总工作簿 ${out}`);
		return 0;
	}
};
