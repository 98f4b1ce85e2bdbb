function h = height(T)
%HEIGHT  Number of rows (tradewar shim for tariffwar; Octave 7 lacks height()).
%   For the struct returned by the readtable shim: rows of its first column.

  if isstruct(T)
    f = fieldnames(T);
    if isempty(f)
      h = 0;
    else
      h = rows(T.(f{1}));
    end
  else
    h = rows(T);
  end
end
