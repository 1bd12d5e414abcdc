-- Headless Neovim's built-in LSP client against `req-hashlint server`: open the file, wait for the
-- diagnostics, write them (one per line) to $RHL_OUT, quit. vim.lsp.start is Neovim 0.8+; 0.7 has
-- start_client and buf_attach_client.
vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.RHL_FILE))
local config = {
  name = 'req-hashlint',
  cmd = { vim.env.RHL_PYTHON, '-m', 'req_hashlint', 'server' },
  root_dir = vim.env.RHL_ROOT,
}
if vim.lsp.start then
  vim.lsp.start(config)
else
  vim.lsp.buf_attach_client(0, vim.lsp.start_client(config))
end
local done = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(lines, string.format('%d:%d %s %s %s', d.lnum + 1, d.col + 1, d.source, d.code or lsp.code, d.message))
end
if not done then table.insert(lines, 'TIMEOUT: no diagnostics') end
vim.fn.writefile(lines, vim.env.RHL_OUT)
vim.cmd(done and 'qall!' or 'cquit! 1')
