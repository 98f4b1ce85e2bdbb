function s = string(x)
%STRING  GNU Octave stand-in for MATLAB's string() (tradewar shim for tariffwar).
%
%   Octave 7 has no string class. tariffwar only uses string() inside
%   char(string(x)) and cellstr(string(x)), so this returns char / cellstr values:
%     char row      -> the same char row
%     char matrix   -> cellstr of its rows (column)
%     cellstr       -> the same cellstr
%     numeric       -> char (scalar) or cellstr (array) via num2str
%     tw_strcol     -> its cellstr

  if ischar(x)
    if rows(x) <= 1
      s = x;
    else
      s = cellstr(x);
    end
  elseif iscell(x)
    s = cellfun(@string, x, 'UniformOutput', false);
  elseif isa(x, 'tw_strcol')
    s = cellstr(x);
  elseif isnumeric(x) || islogical(x)
    if isscalar(x)
      s = num2str(x);
    else
      s = arrayfun(@(v) num2str(v), x, 'UniformOutput', false);
    end
  else
    error('string (shim): unsupported input class %s', class(x));
  end
end
