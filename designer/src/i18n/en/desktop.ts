// English strings of one part of the web app (see ../en.ts, which gathers the parts).
export const desktop = {} as const;
