/**
 * The web host's download routes (plain GET, so a browser saves the answer as a file):
 * a stored file of a version, and a table exported through the CLI's export code.
 */
export const HTTP_DOWNLOAD_PREFIX = '/api/download/';
/** `?ref=SERVICE/VERSION&relpath=PATH` */
export const HTTP_DOWNLOAD_FILE = '/api/download/file';
/** `?table=TABLE&format=csv|json&input=JSON` (the table's channel input) */
export const HTTP_DOWNLOAD_EXPORT = '/api/download/export';
