export type Boundary = {
  name: string;
  files: string[];
  exceptFiles?: string[];
  forbid: string[];
  allow?: string[];
};
export declare const CDP_LAYERS: string[];
export declare const CDP_DOOR: string[];
export declare const BOUNDARIES: Boundary[];
