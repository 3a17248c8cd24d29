export type CodeBlock = { lang: string; file: string | null; code: string; line: number };
export type CopyInstructions = {
  packages: { name: string; range: string }[];
  files: { file: string; code: string }[];
};

export declare function codeBlocks(markdown: string): CodeBlock[];
export declare function readCopyInstructions(markdown: string): CopyInstructions;
export declare function documentedEnv(instructions: CopyInstructions): Set<string>;
