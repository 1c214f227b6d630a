/**
 * The batch as the documents name it: the memo's title, the commitment and the publicity list say
 * "第二批", "第三批"… The office names batches freely ("辽宁省第二批", "2024年第三批"); the ordinal is
 * taken from the name, else the name itself (without the province) stands in for it.
 */
const ORDINAL = /第[一二三四五六七八九十百零〇\d]+批(次)?/;

export function batchOrdinal(name: string | null | undefined): string {
	const n = (name ?? '').trim();
	const m = ORDINAL.exec(n);
	if (m) return m[0].replace(/批次$/, '批');
	const rest = n.replace(/^辽宁省/, '').trim();
	return rest || '本批';
}

/** A title written for the second batch, said of `name`'s batch. */
export function forBatch(text: string, name: string | null | undefined): string {
	return text.replaceAll('第二批', batchOrdinal(name));
}
