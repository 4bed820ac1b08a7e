// Imported first by extension.ts, so this runs before the rest of the bundle is evaluated.
// Activation is then measured as VS Code counts it: loading our code plus the activate()
// call, without the time VS Code spends between the two (creating the extension context).
export const loadStart = Date.now();
