/**
 * One answer for "does not exist" and "exists but is not yours" (and for a malformed id), so that
 * ids cannot be probed: every page, endpoint and action about an application or an attachment
 * refuses with 404 and the same sentence, whatever the reason.
 */
export const NOT_FOUND_APPLICATION = '没有找到该申报，或您无权查看';
export const NOT_FOUND_ATTACHMENT = '没有找到该附件，或您无权查看';
