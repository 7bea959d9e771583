export function channelNamesFromContract(root: string): Promise<string[]>;
export function buildPreload(root: string, outfile: string, channels: readonly string[]): Promise<void>;
export function buildMain(root: string, outfile: string): Promise<void>;
