"""Put on PYTHONPATH by test_faults_exactly_once and bench/exactly_once.py only: the worker runs with Faust's exactly_once guarantee.

The project does not offer exactly_once (README, "Nothing lost"); this forces it on to measure
whether it holds.
"""

import sys

import faust

_create = faust.App.__init__


def _exactly_once(self, *args, **kwargs):
    kwargs["processing_guarantee"] = "exactly_once"
    print("test: processing_guarantee=exactly_once", file=sys.stderr, flush=True)
    _create(self, *args, **kwargs)


faust.App.__init__ = _exactly_once
