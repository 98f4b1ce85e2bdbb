from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster on loopback: 2 worker processes, 1 thread each."""
    import distributed
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster
