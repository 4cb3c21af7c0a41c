-- Driven by neovim-check.sh: Neovim 0.11 headless, with the README's init.lua, against the built
-- server. Each check prints "ok: …" or "FAIL: …"; the script exits non-zero after any failure.
-- The expectations are written from the text of the files, never taken from the server.
local failures = 0
local function check(name, condition, detail)
  if condition then
    print('ok: ' .. name)
  else
    failures = failures + 1
    print('FAIL: ' .. name .. (detail and (' (' .. detail .. ')') or ''))
  end
end
local function finish()
  print(failures == 0 and 'neovim-check: all passed' or ('neovim-check: ' .. failures .. ' failed'))
  vim.cmd((failures == 0) and 'qall!' or 'cquit! 1')
end

local project = vim.env.YOSAN_PROJECT
vim.cmd('edit ' .. project .. '/a.yosan')
local buf = vim.api.nvim_get_current_buf()
check('filetype from the README setup', vim.bo[buf].filetype == 'yosan', vim.bo[buf].filetype)
check('commentstring', vim.bo[buf].commentstring == '# %s', vim.bo[buf].commentstring)

local attached = vim.wait(20000, function() return #vim.lsp.get_clients({ bufnr = buf, name = 'yosan' }) > 0 end, 50)
check('the server attaches', attached)
if not attached then return finish() end
local client = vim.lsp.get_clients({ bufnr = buf, name = 'yosan' })[1]
check('root is the project (its .git)', client.root_dir == project, tostring(client.root_dir))

-- Line and byte column (0-based, as Neovim keeps them) of `text` in the buffer.
local function find(text, nth)
  nth = nth or 1
  for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      nth = nth - 1
      if nth == 0 then return row - 1, col - 1 end
    end
  end
  error('not in the buffer: ' .. text)
end

-- Diagnostics, each at the byte where its text starts: after kanji and an emoji on the same line
-- (the server counts UTF-16 units or bytes; Neovim converts, so a wrong count shows here).
local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) >= 2 end, 50)
check('diagnostics arrive', got, tostring(#vim.diagnostic.get(buf)))
local function diagnostic_at(row, col, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.lnum == row and d.col == col and (code == nil or d.code == code) then return d end
  end
end
local function describe_all()
  local parts = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(parts, string.format('%d:%d %s', d.lnum, d.col, tostring(d.code)))
  end
  return table.concat(parts, ', ')
end
local row, col = find('要球額')
check('unknown key reported at its first character', diagnostic_at(row, col, 'unknown-key') ~= nil, describe_all())
row, col = find('億ドル')
local unit = diagnostic_at(row, col, 'unknown-unit')
check('an unknown unit after kanji and an emoji: at its first character', unit ~= nil, describe_all())

local function request(method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 10000)
  local response = responses and responses[client.id]
  if response == nil then return nil, 'no answer' end
  if response.err then return nil, vim.inspect(response.err) end
  return response.result
end
local function position(r, c)
  local line = vim.api.nvim_buf_get_lines(buf, r, r + 1, false)[1]
  return { line = r, character = vim.str_utfindex(line, client.offset_encoding, c) }
end
local function at(r, c)
  return { textDocument = vim.lsp.util.make_text_document_params(buf), position = position(r, c) }
end

-- Hover on an amount gives its value in yen.
row, col = find('0.8億円')
local hover, err = request('textDocument/hover', at(row, col + 1))
local text = hover and hover.contents and (hover.contents.value or hover.contents) or ''
if type(text) ~= 'string' then text = vim.inspect(text) end
check('hover on 0.8億円 shows 80,000,000円', text:find('80,000,000', 1, true) ~= nil, err or text:sub(1, 200))

-- Definition of an id used in 内数(…) is in the other file.
row, col = find('内数(b1)')
local definition
definition, err = request('textDocument/definition', at(row, col + #'内数('))
if definition and definition.uri then definition = { definition } end
local target = definition and definition[1]
local uri = target and (target.uri or target.targetUri) or ''
local range = target and (target.range or target.targetSelectionRange)
check('definition across files', uri:sub(-#'/b.yosan') == '/b.yosan' and range and range.start.line == 4,
  err or vim.inspect(definition))

-- Completion narrowed by the typed prefix: after `補` only keys that match it, and the first
-- one, inserted as Neovim inserts it (its text edit), gives a key that starts with 補.
row = find('前年度')
vim.api.nvim_buf_set_lines(buf, row + 1, row + 1, false, { '  補' })
local completion
completion, err = request('textDocument/completion', at(row + 1, #'  補'))
local items = completion and (completion.items or completion) or {}
local unmatched = {}
for _, item in ipairs(items) do
  local word = item.filterText or item.label
  if not (word:find('補', 1, true) or item.label:find('補', 1, true)) then table.insert(unmatched, item.label) end
end
check('completion after 補 offers only matching items', #items > 0 and #unmatched == 0,
  err or (#items .. ' items, not matching: ' .. table.concat(unmatched, ' ', 1, math.min(#unmatched, 8))))
table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
local first = items[1]
if first and first.textEdit then
  vim.lsp.util.apply_text_edits({ first.textEdit }, buf, client.offset_encoding)
end
local line = vim.api.nvim_buf_get_lines(buf, row + 1, row + 2, false)[1]
check('the first completion inserts a key starting with 補', line:find('^  補') ~= nil and #line > #'  補', line)
vim.api.nvim_buf_set_lines(buf, row + 1, row + 2, false, {})

-- A code action on the misspelled key replaces it with the suggestion.
row, col = find('要球額')
local d = diagnostic_at(row, col, 'unknown-key')
local actions
actions, err = request('textDocument/codeAction', {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = { start = position(row, col), ['end'] = position(row, col + #'要球額') },
  context = { diagnostics = d and { d.user_data and d.user_data.lsp or d } or {} },
})
local fix
for _, action in ipairs(actions or {}) do
  if action.edit and (action.title or ''):find('要求額', 1, true) then fix = action end
end
check('a code action offers 要求額', fix ~= nil, err or vim.inspect(actions):sub(1, 300))
if fix then vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding) end
check('applying it fixes the line', vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] == '  要求額 = 1億円',
  vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1])

-- Formatting: the README's setup formats with the server (misaligned `=` and a full-width space).
vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = 10000 })
local formatted = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
local expected = table.concat(vim.fn.readfile(project .. '/a.formatted'), '\n')
check('formatting gives the fmt layout', formatted == expected, '\n' .. formatted)

finish()
