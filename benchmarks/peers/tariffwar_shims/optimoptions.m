function opts = optimoptions(solver_or_opts, varargin)
%OPTIMOPTIONS  GNU Octave stand-in for MATLAB's optimoptions (tradewar shim for tariffwar).
%
%   opts = optimoptions('fsolve', 'Name', value, ...)
%   opts = optimoptions(opts, 'Name', value, ...)
%
%   Returns a plain options struct that Octave's fsolve reads through optimget.
%   MATLAB's newer option names are mapped to the legacy names Octave understands:
%     MaxFunctionEvaluations -> MaxFunEvals     MaxIterations -> MaxIter
%     FunctionTolerance      -> TolFun          StepTolerance -> TolX
%     SpecifyObjectiveGradient -> Jacobian ('on'/'off')
%   'Algorithm' is stored (field Algorithm) but Octave's fsolve has a single algorithm
%   (MINPACK-style trust-region dogleg, finite-difference Jacobian recomputed every
%   iteration), so MATLAB's 'levenberg-marquardt' / 'trust-region-dogleg' choice is ignored.
%   An OutputFcn is wrapped so that optimValues also carries MATLAB's field name
%   'iteration' (Octave passes 'iter'); Octave's optimValues.fval is the residual norm.

  if ischar(solver_or_opts)
    opts = struct('Solver', solver_or_opts);
  elseif isstruct(solver_or_opts)
    opts = solver_or_opts;
  else
    error('optimoptions (shim): first argument must be a solver name or an options struct');
  end
  if mod(numel(varargin), 2) ~= 0
    error('optimoptions (shim): options must be name/value pairs');
  end
  map = {'MaxFunctionEvaluations', 'MaxFunEvals'; 'MaxIterations', 'MaxIter'; ...
         'FunctionTolerance', 'TolFun'; 'StepTolerance', 'TolX'; ...
         'OptimalityTolerance', 'TolFun'};
  for k = 1:2:numel(varargin)
    name = varargin{k};
    value = varargin{k + 1};
    hit = find(strcmpi(map(:, 1), name), 1);
    if ~isempty(hit)
      name = map{hit, 2};
    end
    if strcmpi(name, 'SpecifyObjectiveGradient')
      name = 'Jacobian';
      if islogical(value) || isnumeric(value)
        if value, value = 'on'; else, value = 'off'; end
      end
    end
    if strcmpi(name, 'OutputFcn') && ~isempty(value)
      value = wrap_output_fcn(value);
    end
    opts.(name) = value;
  end
end

function g = wrap_output_fcn(f)
  g = @(x, ov, state) f(x, add_matlab_fields(ov), state);
end

function ov = add_matlab_fields(ov)
  if isfield(ov, 'iter') && ~isfield(ov, 'iteration')
    ov.iteration = ov.iter;
  end
end
