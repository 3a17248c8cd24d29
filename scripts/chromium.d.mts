export declare const CHROMIUM_ARGS: string[];
export declare const HEADLESS_SHELL: string;
export declare const NO_CHROMIUM: string;
export declare function findChromium(): { bundled: boolean; path: string } | null;
export declare function chromiumExecutable(): string | undefined;
