// Types for renderer-freshness.mjs (plain JS so `npm start` needs no TypeScript loader).
export function newestSourceMtime(dir: string): number;
export function rendererNeedsBuild(rendererDir: string): boolean;
