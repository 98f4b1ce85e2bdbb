function tw_reference_run(dataset, year, data_dir, out_csv, out_summary, elasticity, nrep)
%TW_REFERENCE_RUN  Run tariffwar's Nash tariff war for one dataset-year, stage by stage.
%
%   tw_reference_run('wiod', 2014, '/work/peers/tariffwar-data', 'out.csv', 'out.txt')
%
%   (tradewar driver; not part of tariffwar.) Calls tariffwar's own functions in exactly the
%   order and with exactly the arguments of the per-run body of tariffwar.pipeline.run
%   (commit 9863698), with tariffwar.defaults() and 'Display','off':
%     load_data -> [ICIO only: X + eye(N) in every sector] -> data.balance_trade
%     -> data.compute_derived_cubes -> solver.nash_equilibrium -> welfare.welfare_gains
%   but with the data directory given explicitly (pipeline.run only reads <repo>/mat, which
%   holds MATLAB v7.3 files Octave cannot load) and with a wall clock around every stage.
%   GDP/dollar values (pipeline.run's load_gdp; only used for the Dollar_Change column)
%   are skipped.
%
%   Writes out_csv: country,nash_tariff,welfare_pct   (nash_tariff as a fraction: the
%   solver's unknown X(2N+1:3N) is the GROSS tariff 1+t, so nash_tariff = X - 1), and
%   out_summary: key = value lines (timings in seconds, exit flags, residuals, stats).
%   With nrep > 1 the solve (everything after loading the data) is repeated nrep times from
%   scratch and every wall-clock time is recorded (seconds_solve = the minimum,
%   seconds_solve_median = the median); the results are those of the last repetition.

  if nargin < 6 || isempty(elasticity)
    elasticity = 'IS';
  end
  if nargin < 7 || isempty(nrep)
    nrep = 1;
  end

  cfg = tariffwar.defaults();
  cfg.solver.Display = 'off';
  cfg.verbose = false;
  cfg.balance_trade.Display = 'off';

  t0 = tic;
  d = tariffwar.io.load_data(dataset, year, 'mat_dir', data_dir);
  t_load = toc(t0);
  N = d.N;
  S = d.S;

  reps = zeros(nrep, 5);  % balance, nash, welfare, solve (wall), solve (cpu)
  for rep = 1:nrep
    rand('state', 0);  % retries in tariffwar draw random initial guesses with rand
    randn('state', 0);
    c_solve = cputime();
    t_solve = tic;
    t0 = tic;
    sigma_S = d.sigma.(elasticity).sigma_S;
    sigma_k3D = repmat(reshape(sigma_S, 1, 1, S), [N, N, 1]);
    Xjik_raw = d.Xjik_3D;
    if strcmp(dataset, 'icio')
      Xjik_raw = Xjik_raw + repmat(eye(N), [1, 1, S]);
    end
    Xjik_3D = tariffwar.data.balance_trade(Xjik_raw, sigma_k3D, d.tjik_3D, N, S, cfg);
    t_balance = toc(t0);

    t0 = tic;
    [lam, Yi3D, Ri3D, e_ik3D] = tariffwar.data.compute_derived_cubes(Xjik_3D, d.tjik_3D, N, S);
    [X_sol, ef, out] = tariffwar.solver.nash_equilibrium( ...
        N, S, Yi3D, Ri3D, e_ik3D, sigma_k3D, lam, d.tjik_3D, cfg);
    t_nash = toc(t0);

    t0 = tic;
    pct = tariffwar.welfare.welfare_gains(X_sol, N, S, e_ik3D, sigma_k3D, lam, d.tjik_3D);
    t_welfare = toc(t0);
    t_solve = toc(t_solve);
    c_solve = cputime() - c_solve;
    reps(rep, :) = [t_balance, t_nash, t_welfare, t_solve, c_solve];
  end
  t_balance = min(reps(:, 1)); t_nash = min(reps(:, 2)); t_welfare = min(reps(:, 3));
  t_solve = min(reps(:, 4));
  t_all = t_load + t_solve;

  % ---- diagnostics (not timed) ----
  F = tariffwar.solver.nash_equations(X_sol, N, S, Yi3D, Ri3D, e_ik3D, sigma_k3D, lam, d.tjik_3D);
  F1 = F(1:N); F2 = F(N+1:2*N); F3 = F(2*N+1:3*N);
  Ri = Ri3D(:, 1, 1); Yi = Yi3D(:, 1, 1);
  % balanced-trade residual: trade deficits of the purged economy (should be ~0)
  % (flows valued net of tariffs, as in the model's budget: Y = wL + tariff revenue)
  offdiag = 1 - repmat(eye(N), [1 1 S]);
  Xnet = Xjik_3D ./ (1 + d.tjik_3D) .* offdiag;
  deficit = squeeze(sum(sum(Xnet, 1), 3))(:) - squeeze(sum(sum(Xnet, 2), 3))(:);
  Xnet_raw = d.Xjik_3D ./ (1 + d.tjik_3D) .* offdiag;
  raw_deficit = squeeze(sum(sum(Xnet_raw, 1), 3))(:) - squeeze(sum(sum(Xnet_raw, 2), 3))(:);

  gross = abs(X_sol(2*N+1:3*N));
  t = gross - 1;
  wi_h = abs(X_sol(1:N));
  Yi_h = abs(X_sol(N+1:2*N));
  countries = cellfun(@(c) char(c), d.countries(:), 'UniformOutput', false);

  fid = fopen(out_csv, 'w');
  fprintf(fid, 'country,nash_tariff,welfare_pct\n');
  for i = 1:N
    fprintf(fid, '%s,%.10f,%.8f\n', countries{i}, t(i), pct(i));
  end
  fclose(fid);

  fid = fopen(out_summary, 'w');
  kv = @(k, fmt, v) fprintf(fid, ['%s = ' fmt '\n'], k, v);
  kv('dataset', '%s', dataset);
  kv('year', '%d', year);
  kv('elasticity', '%s', elasticity);
  kv('N', '%d', N);
  kv('S', '%d', S);
  kv('octave', '%s', OCTAVE_VERSION);
  kv('blas', '%s', strtrim(evalc_blas()));
  kv('seconds_load', '%.4f', t_load);
  kv('seconds_balance_trade', '%.4f', t_balance);
  kv('seconds_nash', '%.4f', t_nash);
  kv('seconds_welfare', '%.4f', t_welfare);
  kv('seconds_solve', '%.4f', t_solve);
  kv('seconds_load_plus_solve', '%.4f', t_all);
  kv('nrep', '%d', nrep);
  kv('seconds_solve_median', '%.4f', median(reps(:, 4)));
  kv('seconds_solve_all', '%s', sprintf('%.3f ', reps(:, 4)));
  kv('cpu_seconds_solve_min', '%.4f', min(reps(:, 5)));
  kv('nash_exitflag', '%d', ef);
  if isfield(out, 'iterations'), kv('nash_iterations', '%d', out.iterations); end
  if isfield(out, 'funcCount'), kv('nash_funccount', '%d', out.funcCount); end
  kv('nash_max_residual_reported', '%.6e', out.max_residual);
  kv('nash_max_abs_F_wage', '%.6e', max(abs(F1)));
  kv('nash_max_rel_F_wage', '%.6e', max(abs(F1(:)) ./ Ri(:)));
  kv('nash_max_abs_F_income', '%.6e', max(abs(F2)));
  kv('nash_max_rel_F_income', '%.6e', max(abs(F2(:)) ./ Yi(:)));
  kv('nash_max_abs_F_tariff', '%.6e', max(abs(F3)));
  kv('balanced_max_rel_deficit', '%.6e', max(abs(deficit) ./ Yi(:)));
  kv('raw_max_rel_deficit', '%.6e', max(abs(raw_deficit) ./ sum(sum(d.Xjik_3D, 1), 3)(:)));
  kv('tariff_mean_pct', '%.6f', 100 * mean(t));
  kv('tariff_median_pct', '%.6f', 100 * median(t));
  [mx, imx] = max(t); [mn, imn] = min(t);
  kv('tariff_max_pct', '%.6f', 100 * mx);
  kv('tariff_max_country', '%s', countries{imx});
  kv('tariff_min_pct', '%.6f', 100 * mn);
  kv('tariff_min_country', '%s', countries{imn});
  kv('tariffwar_reported_avg_tariff_pct', '%.6f', mean(100 * gross));
  kv('welfare_mean_pct', '%.6f', mean(pct));
  kv('welfare_median_pct', '%.6f', median(pct));
  [wmx, iwmx] = max(pct); [wmn, iwmn] = min(pct);
  kv('welfare_max_pct', '%.6f', wmx);
  kv('welfare_max_country', '%s', countries{iwmx});
  kv('welfare_min_pct', '%.6f', wmn);
  kv('welfare_min_country', '%s', countries{iwmn});
  kv('wage_hat_min', '%.6f', min(wi_h));
  kv('wage_hat_max', '%.6f', max(wi_h));
  kv('income_hat_min', '%.6f', min(Yi_h));
  kv('income_hat_max', '%.6f', max(Yi_h));
  fclose(fid);

  fprintf('%s %d (%s): N=%d S=%d  load %.2fs  balance %.2fs  nash %.2fs  welfare %.3fs  solve %.2fs  exitflag %d\n', ...
      upper(dataset), year, elasticity, N, S, t_load, t_balance, t_nash, t_welfare, t_solve, ef);
  fprintf('  mean Nash tariff %.2f%%  (min %s %.2f%%, max %s %.2f%%)  mean welfare %.3f%%\n', ...
      100 * mean(t), countries{imn}, 100 * mn, countries{imx}, 100 * mx, mean(pct));
end

function s = evalc_blas()
  try
    s = version('-blas');
  catch
    s = 'unknown';
  end
end

