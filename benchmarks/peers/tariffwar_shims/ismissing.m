function tf = ismissing(x)
%ISMISSING  Missing-value test (tradewar shim for tariffwar; Octave 7 lacks ismissing()).
%   numeric: isnan; char: empty -> true (scalar); cellstr: cellfun(@isempty).
%   tw_strcol objects dispatch to their own ismissing method.

  if isnumeric(x)
    tf = isnan(x);
  elseif ischar(x)
    tf = isempty(x);
  elseif iscell(x)
    tf = cellfun(@isempty, x);
  else
    tf = false(size(x));
  end
end
