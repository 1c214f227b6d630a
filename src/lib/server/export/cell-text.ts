/**
 * Formula injection (CSV/spreadsheet): text that a spreadsheet could take for a formula or a
 * command — starting with `=`, `+`, `-`, `@`, their full-width forms `＝＋－＠` (which WPS and
 * Excel with a Chinese input method turn into formulas), a tab, a carriage return or a line feed —
 * is written with a leading apostrophe, so it stays text (OWASP "CSV Injection"). One function for
 * every export: the results workbook, the audit log (CSV and Excel), the offline score workbook, the
 * intake list and the expert list.
 *
 * Text that already starts with an apostrophe gets one more, so that `unescapeCellText` can undo
 * exactly what was added: the intake list and the expert list re-import losslessly.
 */
const TRIGGERS = /^[=+\-@＝＋－＠\t\r\n']/;

export function escapeCellText(text: string): string {
	return TRIGGERS.test(text) ? `'${text}` : text;
}

/** Undoes escapeCellText: one leading apostrophe before a trigger (or another apostrophe) is dropped. */
export function unescapeCellText(text: string): string {
	return text.startsWith("'") && TRIGGERS.test(text.slice(1)) ? text.slice(1) : text;
}
