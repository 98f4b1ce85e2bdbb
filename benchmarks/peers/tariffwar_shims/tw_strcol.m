classdef tw_strcol
%TW_STRCOL  Minimal column of strings standing in for a MATLAB string array
%   (tradewar shim for tariffwar's readtable(..., 'TextType', 'string') under Octave).
%   Supports: indexing with (), ==, ~=, ismissing, char, cellstr, numel, size, rows.

  properties
    c = {};   % cellstr column
  end

  methods
    function obj = tw_strcol(c)
      if nargin > 0
        obj.c = c(:);
      end
    end

    function varargout = subsref(obj, s)
      switch s(1).type
        case '()'
          out = tw_strcol(obj.c(s(1).subs{:}));
        case '.'
          out = obj.(s(1).subs);
        otherwise
          error('tw_strcol: {} indexing not supported');
      end
      if numel(s) > 1
        out = subsref(out, s(2:end));
      end
      varargout = {out};
    end

    function n = numel(obj, varargin)
      n = numel(obj.c);
    end

    function sz = size(obj, varargin)
      sz = size(obj.c, varargin{:});
    end

    function r = rows(obj)
      r = rows(obj.c);
    end

    function tf = eq(a, b)
      tf = strcmp(tw_strcol.as_cell(a), tw_strcol.as_cell(b));
    end

    function tf = ne(a, b)
      tf = ~eq(a, b);
    end

    function tf = ismissing(obj)
      tf = cellfun(@isempty, obj.c);
    end

    function ch = char(obj)
      ch = char(obj.c);
    end

    function cs = cellstr(obj)
      cs = obj.c;
    end
  end

  methods (Static)
    function c = as_cell(x)
      if isa(x, 'tw_strcol')
        c = x.c;
      elseif ischar(x)
        c = {x};
      else
        c = x;
      end
    end
  end
end
