"""The demo-consultation generator: synthetic, deterministic survey data and geography.

``write_sample`` writes one consultation folder as a survey tool would export it, with a
few invalid rows planted on purpose (listed in its ``planted_errors.csv``);
``write_reference`` writes data/reference (regions.csv, population.csv, README.md);
``write_demo_data`` regenerates everything that is committed under data/.
"""

from pipelines.sample.generator import DEMO_WAVES, write_demo_data, write_sample
from pipelines.sample.geography import population_frame, regions_frame, write_reference

__all__ = [
    "DEMO_WAVES",
    "population_frame",
    "regions_frame",
    "write_demo_data",
    "write_reference",
    "write_sample",
]
