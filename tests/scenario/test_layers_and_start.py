"""Public helpers of the scenario layer that analyses use instead of probe scenarios:
`layer_rates` equals what a compiled scenario quotes, `starting_point` is the compiler's start."""

from __future__ import annotations

import numpy as np

from tradewar.scenario import (
    compile_tariffs,
    layer_rates,
    scenario_from_toml,
    select_sectors,
    starting_point,
)


def test_layer_rates_are_what_the_compiler_adds(standin, data_dir) -> None:
    reference = "us-2025:2025-08-07"
    scenario = scenario_from_toml(
        'name = "t"\nstart = "baseline"\n[[tariff]]\nimporter = "USA"\nexporter = ["JPN", "IND"]\n'
        f'sectors = "all"\nadd = "{reference}"\n')
    compiled = compile_tariffs(scenario, standin, data_dir=data_dir)
    delta = compiled.steps[0].tariffs - compiled.start_economy.tariffs
    countries = standin.economy.countries
    exporters = [countries.index("JPN"), countries.index("IND")]
    rates, notes = layer_rates(standin, reference, exporters, data_dir=data_dir)
    assert rates.shape == (2, len(standin.economy.sectors))
    np.testing.assert_allclose(delta[countries.index("USA"), exporters], rates, rtol=0, atol=1e-15)
    assert rates[0].max() > 0 and not np.array_equal(rates[0], rates[1])  # each exporter its own
    goods = select_sectors(standin.economy.sectors, "goods")
    assert (rates[:, ~goods] == 0).all()  # the layer taxes goods only
    assert all(isinstance(n, str) for n in notes)


def test_starting_point_is_the_compilers_start(standin, data_dir) -> None:
    scenario = scenario_from_toml('name = "t"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.0\n')
    compiled = compile_tariffs(scenario, standin, data_dir=data_dir)
    point = starting_point(standin, "in-force-2025", data_dir=data_dir)
    assert point.method == compiled.start_method == "recalibrated"  # data year 2022 >= 2020
    assert point.text == compiled.starting_tariffs
    np.testing.assert_array_equal(point.economy.tariffs, compiled.start_economy.tariffs)
    np.testing.assert_array_equal(point.economy.final_share, compiled.start_economy.final_share)
    theta = np.asarray(standin.economy.theta) * 2.0
    np.testing.assert_array_equal(point.at(theta).theta, theta)
    base = starting_point(standin, "baseline")
    assert base.method == "data" and base.economy is standin.economy
