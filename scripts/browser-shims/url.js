// Node's 'url' for the browser bundles: @vscode/debugadapter only uses URL, which browsers have.
module.exports = { URL: globalThis.URL };
