function T = readtable(path, varargin)
%READTABLE  Minimal CSV reader standing in for MATLAB's readtable
%   (tradewar shim for tariffwar under GNU Octave 7, which has no table class).
%
%   T = readtable(csv_path, 'TextType', 'string')
%
%   Returns a struct with one field per header column (names made valid with
%   matlab.lang.makeValidName-like rules). A column whose every non-empty cell parses
%   as a number is a double column vector (empty -> NaN); any other column is a
%   tw_strcol (string column: supports (), ==, ismissing, char). Double-quoted
%   fields may contain commas and "" escapes. Other readtable options are ignored.

  text = fileread(path);
  text = strrep(text, sprintf('\r'), '');
  lines = strsplit(text, "\n");
  lines = lines(~cellfun(@isempty, lines));
  header = split_csv_line(lines{1});
  nrow = numel(lines) - 1;
  ncol = numel(header);
  cells = cell(nrow, ncol);
  for r = 1:nrow
    f = split_csv_line(lines{r + 1});
    f(end+1:ncol) = {''};
    cells(r, :) = f(1:ncol);
  end
  T = struct();
  for j = 1:ncol
    name = regexprep(strtrim(header{j}), '[^A-Za-z0-9_]', '_');
    if isempty(name) || ~isletter(name(1))
      name = ['x' name];
    end
    col = cells(:, j);
    nums = str2double(col);
    empty = cellfun(@isempty, col);
    if all(~isnan(nums) | empty) && ~all(empty)
      nums(empty) = NaN;
      T.(name) = nums;
    else
      T.(name) = tw_strcol(col);
    end
  end
end

function f = split_csv_line(line)
  tok = regexp([line ','], '("(?:[^"]|"")*"|[^,]*),', 'tokens');
  f = cellfun(@(t) unquote(t{1}), tok, 'UniformOutput', false);
end

function s = unquote(s)
  if numel(s) >= 2 && s(1) == '"' && s(end) == '"'
    s = strrep(s(2:end-1), '""', '"');
  end
end
