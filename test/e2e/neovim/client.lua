-- Drives Ringside's language server from a real Neovim (its built-in LSP client), headless, as
-- a student editing a program in Neovim would: every step waits on the protocol (a request's
-- answer, or the diagnostics published for the buffer's version), never on a timer. What each
-- step saw is written as JSON to $RINGSIDE_NVIM_OUT for neovimPass.ts to check; this script
-- asserts nothing itself. Runs on Neovim 0.7 and later (the APIs used are 0.7's).
local env = vim.env
local out = { steps = {} }
local bufnr, client_id
local published = {}
local TIMEOUT = 20000

local function finish()
  local f = assert(io.open(env.RINGSIDE_NVIM_OUT, 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end

-- Diagnostics as the server published them, with the buffer version each was for.
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  table.insert(published, result)
  return default_publish(err, result, ctx, config)
end
-- Messages the server shows or logs (an error one would be a bug).
out.messages = {}
for _, m in ipairs({ 'window/showMessage', 'window/logMessage' }) do
  vim.lsp.handlers[m] = function(_, result)
    table.insert(out.messages, { method = m, type = result.type, message = result.message })
  end
end

local function version() return vim.lsp.util.buf_versions[bufnr] end

-- The last diagnostics published for the buffer's current version (nil until they come).
local function diagnostics_now()
  for i = #published, 1, -1 do
    local p = published[i]
    if p.version == nil or p.version == version() then return p.diagnostics end
  end
  return nil
end

local function wait_diagnostics()
  local ok = vim.wait(TIMEOUT, function() return diagnostics_now() ~= nil end, 10)
  local ds = diagnostics_now() or {}
  local list = {}
  for _, d in ipairs(ds) do
    -- The text the diagnostic's range covers, as Neovim maps the server's UTF-16 columns onto
    -- the buffer's bytes: the check that positions mean the same to both.
    local line = vim.api.nvim_buf_get_lines(bufnr, d.range.start.line, d.range.start.line + 1, false)[1] or ''
    local s = vim.lsp.util._get_line_byte_from_position(bufnr, d.range.start, 'utf-16')
    local e = vim.lsp.util._get_line_byte_from_position(bufnr, d.range['end'], 'utf-16')
    table.insert(list, { line = d.range.start.line, code = d.code, severity = d.severity, message = d.message, text = line:sub(s + 1, e) })
  end
  return { published = ok, version = version(), diagnostics = list }
end

local function request(method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not res then return { error = tostring(err) } end
  local r = res[client_id]
  if not r then return { error = 'no answer from the server' } end
  if r.err or r.error then return { error = vim.inspect(r.err or r.error) } end
  return { result = r.result }
end

local function pos(line, character) return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } } end
local function text() return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') end
-- The first line holding `s`, 0-based, and the column (UTF-16, as the server counts) where it starts.
local function find(s)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local b = l:find(s, 1, true)
    if b then return i - 1, vim.str_utfindex(l, b - 1) end
  end
  error('not in the buffer: ' .. s)
end
local function step(name, value) out.steps[name] = value end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(env.RINGSIDE_NVIM_FILE))
  bufnr = vim.api.nvim_get_current_buf()
  client_id = vim.lsp.start_client({
    name = 'ringside',
    cmd = vim.fn.json_decode(env.RINGSIDE_NVIM_CMD),
    root_dir = vim.fn.fnamemodify(env.RINGSIDE_NVIM_FILE, ':h'),
    on_exit = function(code, signal) out.exit = { code = code, signal = signal } end,
  })
  assert(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  vim.wait(TIMEOUT, function() return client.initialized end, 10)
  step('initialized', { ok = client.initialized == true, server = client.server_capabilities and vim.tbl_keys(client.server_capabilities) or {} })

  -- 1. The program as opened: its two mistakes, where they are.
  step('opened', wait_diagnostics())

  -- 2. The quick fix for `movv`, applied by Neovim.
  local l, c = find('movv')
  local fix = request('textDocument/codeAction', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = { start = { line = l, character = c }, ['end'] = { line = l, character = c + 4 } }, context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, l) } })
  local titles = {}
  for _, a in ipairs(fix.result or {}) do
    table.insert(titles, a.title)
    if a.edit and a.title:find("'mov'", 1, true) then vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16') end
  end
  step('quickfix', { titles = titles, error = fix.error, line = vim.api.nvim_buf_get_lines(bufnr, l, l + 1, false)[1], after = wait_diagnostics() })

  -- 3. Typing: the stray word after the Korean string removed character by character (each a
  -- change Neovim sends on its own), then a blank line inserted above it.
  l = find('bogus')
  local line = vim.api.nvim_buf_get_lines(bufnr, l, l + 1, false)[1]
  local b = line:find(' bogus', 1, true) - 1
  for _ = 1, #' bogus' do vim.api.nvim_buf_set_text(bufnr, l, b, l, b + 1, { '' }) end
  vim.api.nvim_buf_set_lines(bufnr, l, l, false, { '' })
  step('typed', { line = vim.api.nvim_buf_get_lines(bufnr, l + 1, l + 2, false)[1], after = wait_diagnostics() })

  -- 4. Hover, definition and references of `square` where it is called.
  l, c = find('call square')
  c = c + 5
  step('hover', request('textDocument/hover', pos(l, c + 1)))
  step('definition', request('textDocument/definition', pos(l, c + 1)))
  local refs = pos(l, c + 1)
  refs.context = { includeDeclaration = true }
  step('references', request('textDocument/references', refs))
  step('signature', request('textDocument/signatureHelp', pos(find('mov r1, 5'), 16)))

  -- 5. Rename `square` to `sq`, applied by Neovim.
  local prep = request('textDocument/prepareRename', pos(l, c + 1))
  local ren = pos(l, c + 1)
  ren.newName = 'sq'
  local edit = request('textDocument/rename', ren)
  if edit.result then vim.lsp.util.apply_workspace_edit(edit.result, 'utf-16') end
  step('rename', { prepare = prep, error = edit.error, text = text(), after = wait_diagnostics() })

  -- 6. Completion at the start of a mnemonic on a new line.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { '        m' })
  local comp = request('textDocument/completion', pos(last, 9))
  local labels = {}
  local items = comp.result and (comp.result.items or comp.result) or {}
  for _, it in ipairs(items) do table.insert(labels, it.label) end
  vim.api.nvim_buf_set_lines(bufnr, last, last + 1, false, {})
  step('completion', { error = comp.error, labels = labels, after = wait_diagnostics() })

  -- 7. Formatting, applied by Neovim, then asked again (nothing more to change).
  local opts = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, options = { tabSize = 8, insertSpaces = true } }
  local f1 = request('textDocument/formatting', opts)
  if f1.result then vim.lsp.util.apply_text_edits(f1.result, bufnr, 'utf-16') end
  local f2 = request('textDocument/formatting', opts)
  step('format', { error = f1.error or f2.error, edits = f1.result and #f1.result or -1, again = f2.result and #f2.result or -1, text = text(), after = wait_diagnostics() })

  -- 8. Outline and highlighting.
  step('symbols', request('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }))
  local tok = request('textDocument/semanticTokens/full', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
  step('tokens', { error = tok.error, count = tok.result and #tok.result.data or -1 })

  -- 9. The client stops the server (shutdown, exit) and waits for it to go.
  vim.lsp.stop_client(client_id)
  step('stopped', vim.wait(TIMEOUT, function() return out.exit ~= nil end, 10))
end)
if not ok then out.error = tostring(err) end
finish()
